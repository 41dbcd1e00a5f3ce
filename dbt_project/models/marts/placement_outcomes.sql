-- The Y-1 exit cohort and what year Y's survey and administrative records say about each student
-- (docs/rules.md#outcomes, docs/placement-records.md). Under a profile whose placement sources are "records and survey" the records
-- come first; under "survey" they are read and checked, not used.
with profile as (
    select placement_sources = 'records_and_survey' as uses_records from {{ rule_profile() }}
),

cohort as (
    select *
    from {{ ref('int_leavers_classified') }}
    where school_year = {{ run_var('school_year') }} - 1
      and is_placement_eligible
),

sources as (
    select
        cohort.*,
        records.measurement_quarter,
        survey.student_id is not null as responded,
        coalesce(survey.deceased, false) as deceased_by_survey,
        coalesce(survey.education_status in ('TECH_CENTER_ADULT', 'PRIVATE_POSTSECONDARY', 'PUBLIC_POSTSECONDARY'),
                 false) as survey_postsecondary,
        coalesce(survey.employment_status = 'MILITARY', false) as survey_military,
        coalesce(survey.service_program in ('NATIONAL_SERVICE', 'PEACE_CORPS'), false) as survey_service,
        coalesce(survey.employment_status in ('FULL_TIME', 'PART_TIME'), false) as survey_employment,
        coalesce(survey.job_related, false) as job_related,
        profile.uses_records and records.found_postsecondary as records_postsecondary,
        profile.uses_records and records.found_in_related_field as records_in_related_field,
        profile.uses_records and records.found_military as records_military,
        profile.uses_records and records.found_service as records_service,
        profile.uses_records and records.found_employment as records_employment,
        profile.uses_records and records.deceased_by_records as deceased_by_records
    from cohort
    cross join profile
    inner join {{ ref('int_placement_records_found') }} as records on cohort.student_id = records.student_id
    left join {{ ref('int_placements_latest') }} as survey
        on survey.school_year = {{ run_var('school_year') }}
        and cohort.student_id = survey.student_id
),

classified as (
    select
        *,
        deceased_by_survey or deceased_by_records as deceased,
        records_postsecondary or records_military or records_service or records_employment as found_in_records,
        survey_postsecondary or survey_military or survey_service or survey_employment as placed_by_survey
    from sources
)

select
    {{ run_var('school_year') }} as school_year,
    school_year as exit_school_year,
    student_id,
    responded,
    deceased,
    not deceased and (found_in_records or placed_by_survey) as placed,
    not deceased and (found_in_records or placed_by_survey)
        and (job_related or survey_service or records_service or records_in_related_field) as related,
    case
        when deceased then null
        when records_postsecondary or survey_postsecondary then 'postsecondary'
        when records_military or survey_military then 'military'
        when records_service or survey_service then 'service'
        when records_employment or survey_employment then 'employment'
    end as placement_type,
    -- The source of the type: the records when they show it, else the survey.
    case
        when deceased then null
        when records_postsecondary then 'nsc'
        when survey_postsecondary then 'survey'
        when records_military then 'military'
        when survey_military then 'survey'
        when records_service then 'service'
        when survey_service then 'survey'
        when records_employment then 'wage'
        when survey_employment then 'survey'
    end as placement_source,
    measurement_quarter,
    responded or found_in_records or deceased_by_records as status_known,
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
from classified
