-- Warnings on loaded credential rows (docs/rules.md#rejected-rows): one row per row and warning. The row stays
-- loaded; a credential passed more than once is counted once (its first pass).
with loaded as (
    select
        *,
        result in ('P', 'F') as is_attempt
    from {{ ref('int_credentials_loaded') }}
),

attempts as (
    select
        *,
        row_number() over (
            partition by student_id, credential_code, school_year
            order by exam_date, source_file, row_number
        ) as attempt_in_year,
        lag(exam_date) over (
            partition by student_id, credential_code
            order by exam_date, source_file, row_number
        ) as previous_attempt_date
    from loaded
    where is_attempt
),

passes as (
    select
        *,
        row_number() over (
            partition by student_id, credential_code
            order by exam_date, school_year, source_file, row_number
        ) as pass_number
    from loaded
    where result = 'P'
),

warnings as (
    select school_year, student_id, credential_code, source_file, row_number, exam_date,
           'CREDENTIAL_DUPLICATE' as reason_code,
           'credential already passed by this student; counted once' as reason
    from passes where pass_number > 1
    union all
    select school_year, student_id, credential_code, source_file, row_number, exam_date,
           'TOO_MANY_ATTEMPTS',
           'attempt ' || attempt_in_year || ' of this credential by this student in the school year (more than 3)'
    from attempts where attempt_in_year > 3
    union all
    select school_year, student_id, credential_code, source_file, row_number, exam_date,
           'RETAKE_TOO_SOON',
           'retaken ' || {{ dbt.datediff('previous_attempt_date', 'exam_date', 'day') }} || ' days after the previous attempt (fewer than 20)'
    from attempts where {{ dbt.datediff('previous_attempt_date', 'exam_date', 'day') }} < 20
    union all
    select school_year, student_id, credential_code, source_file, row_number, exam_date,
           'PROCTOR_IS_TEACHER', 'the proctor is the teacher of the course'
    from loaded where proctor_id = teacher_id
    union all
    select school_year, student_id, credential_code, source_file, row_number, exam_date,
           'NO_EVIDENCE', 'passed with no evidence held by the district'
    from loaded where result = 'P' and evidence = 'none'
)

select * from warnings
