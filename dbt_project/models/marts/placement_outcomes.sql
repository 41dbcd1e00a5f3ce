-- The Y-1 exit cohort and what the survey of year Y says about each student (SPEC 4.3, 3S1).
with cohort as (
    select *
    from {{ ref('int_leavers_classified') }}
    where school_year = {{ var('school_year') }} - 1
      and is_placement_eligible
),

outcomes as (
    select
        cohort.*,
        survey.student_id is not null as responded,
        coalesce(survey.deceased, false) as deceased,
        survey.education_status in ('TECH_CENTER_ADULT', 'PRIVATE_POSTSECONDARY', 'PUBLIC_POSTSECONDARY')
            as in_postsecondary,
        survey.employment_status = 'MILITARY' as in_military,
        survey.service_program in ('NATIONAL_SERVICE', 'PEACE_CORPS') as in_service,
        survey.employment_status in ('FULL_TIME', 'PART_TIME') as in_employment,
        coalesce(survey.job_related, false) as job_related
    from cohort
    left join {{ ref('int_placements_latest') }} as survey
        on survey.school_year = {{ var('school_year') }}
        and cohort.student_id = survey.student_id
)

select
    {{ var('school_year') }} as school_year,
    school_year as exit_school_year,
    student_id,
    responded,
    deceased,
    not deceased and coalesce(in_postsecondary or in_military or in_service or in_employment, false) as placed,
    not deceased and coalesce(in_postsecondary or in_military or in_service or in_employment, false)
        and (job_related or coalesce(in_service, false)) as related,
    case
        when deceased then null
        when in_postsecondary then 'postsecondary'
        when in_military then 'military'
        when in_service then 'service'
        when in_employment then 'employment'
    end as placement_type,
    exit_code,
    district_id,
    recipient_id,
    school_id,
    grade_level,
    primary_program_code,
    career_cluster,
    gender,
    race_ethnicity,
    {{ flag_group_types() | join(',\n    ') }}
from outcomes
