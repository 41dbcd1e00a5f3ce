-- One row per student counted in an indicator's denominator in Y, with the groups they are
-- counted in and whether they count in the numerator too (docs/rules.md#outcomes, docs/snapshot.md). The indicators
-- themselves are listed once, in seeds/indicators.csv; this model says who each one counts.
-- Group values that split only the numerator (CONCENTRATORS by program, 3S1 by placement
-- type and source) are set for numerator students only.
{% set year = run_var('school_year') %}

with leavers as (
    select * from {{ ref('int_leavers_classified') }} where school_year = {{ year }}
),

graduates as (
    select * from leavers where is_graduate
),

graduates_with_credential as (
    select distinct graduates.student_id
    from graduates
    inner join {{ ref('int_credentials_loaded') }} as credentials
        on graduates.student_id = credentials.student_id
    where credentials.result = 'P'
      and credentials.exam_date <= graduates.exit_date
),

graduates_with_work_based_learning as (
    select distinct student_id
    from {{ ref('int_courses_passed') }}
    where course_type in ('internship', 'coop', 'dce')
),

graduates_with_postsecondary_credit as (
    -- A passed dual-credit row in a program of the concentration group of the primary program.
    select distinct graduates.student_id
    from graduates
    inner join {{ ref('int_programs_grouped') }} as primary_program
        on graduates.primary_program_code = primary_program.program_code
    inner join {{ ref('int_courses_passed') }} as passed
        on graduates.student_id = passed.student_id
        and primary_program.group_key = passed.group_key
    where passed.dual_credit
),

latest_results as (
    -- Per student and subject, the latest result that counts in accountability.
    select student_id, subject, proficient
    from {{ ref('int_assessments_loaded') }}
    where included_in_accountability
    qualify row_number() over (
        partition by student_id, subject
        order by school_year desc, test_date desc, source_file desc, row_number desc
    ) = 1
),

subjects as (
    select '2S1' as indicator, 'READING' as subject
    union all select '2S2', 'MATH'
    union all select '2S3', 'SCIENCE'
),

concentrators as (
    select * from {{ ref('int_concentrators_identified') }} where school_year = {{ year }}
),

facts as (
    select 'PARTICIPANTS' as indicator, {{ student_columns('students') }},
           cast(null as {{ dbt.type_string() }}) as program_code, cast(null as integer) as career_cluster,
           cast(null as {{ dbt.type_string() }}) as placement_type,
           cast(null as {{ dbt.type_string() }}) as placement_source,
           participants.student_id is not null as in_numerator
    from {{ ref('int_students_enrolled') }} as students
    left join {{ ref('int_participants_identified') }} as participants
        on students.school_year = participants.school_year
        and students.student_id = participants.student_id
    where students.school_year = {{ year }}
    union all
    select 'CONCENTRATORS', {{ student_columns('students') }},
           concentrators.primary_program_code, concentrators.career_cluster, null, null,
           concentrators.student_id is not null
    from {{ ref('int_students_enrolled') }} as students
    left join concentrators
        on students.school_year = concentrators.school_year
        and students.student_id = concentrators.student_id
    where students.school_year = {{ year }}
    union all
    select cohort.indicator, {{ student_columns('ever') }}, ever.primary_program_code,
           ever.career_cluster, null, null, cohort.graduated
    from (
        select student_id, '1S1' as indicator, graduated_four_year as graduated
        from {{ ref('graduation_cohort_outcomes') }} where in_four_year_cohort
        union all
        select student_id, '1S2', graduated_extended
        from {{ ref('graduation_cohort_outcomes') }} where in_extended_cohort
    ) as cohort
    inner join {{ ref('int_concentrators_ever') }} as ever on cohort.student_id = ever.student_id
    union all
    select 'GRAD_EXIT', {{ student_columns('leavers') }}, leavers.primary_program_code,
           leavers.career_cluster, null, null, leavers.is_graduate
    from leavers
    where leavers.exit_code not in ('T', 'D')
    union all
    select subjects.indicator, {{ student_columns('graduates') }}, graduates.primary_program_code,
           graduates.career_cluster, null, null, latest_results.proficient
    from graduates
    inner join latest_results on graduates.student_id = latest_results.student_id
    inner join subjects on latest_results.subject = subjects.subject
    union all
    select '3S1', {{ student_columns('o') }}, o.primary_program_code, o.career_cluster,
           o.placement_type, o.placement_source, o.placed
    from {{ ref('placement_outcomes') }} as o
    where not o.deceased
    union all
    select '4S1', {{ student_columns('c') }}, c.primary_program_code, c.career_cluster, null, null,
           c.gender = c.nontrad_gender
    from concentrators as c
    where c.nontrad_gender is not null
    union all
    select '5S1', {{ student_columns('graduates') }}, graduates.primary_program_code,
           graduates.career_cluster, null, null, credential.student_id is not null
    from graduates
    left join graduates_with_credential as credential on graduates.student_id = credential.student_id
    union all
    select '5S2', {{ student_columns('graduates') }}, graduates.primary_program_code,
           graduates.career_cluster, null, null, credit.student_id is not null
    from graduates
    left join graduates_with_postsecondary_credit as credit on graduates.student_id = credit.student_id
    union all
    select '5S3', {{ student_columns('graduates') }}, graduates.primary_program_code,
           graduates.career_cluster, null, null, wbl.student_id is not null
    from graduates
    left join graduates_with_work_based_learning as wbl on graduates.student_id = wbl.student_id
)

select facts.*
from facts
inner join {{ ref('indicators') }} as indicators on facts.indicator = indicators.indicator
