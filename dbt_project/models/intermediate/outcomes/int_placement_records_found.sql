-- What the state's administrative records of year Y say about each student of the 3S1 cohort
-- (placement-eligible leavers of Y-1) in their measurement quarter: the second calendar quarter
-- after the quarter of the counting exit (docs/placement-records.md). placement_outcomes decides, by profile,
-- whether these findings are used; the measurement quarter is reported under every profile.
{% set year = run_var('school_year') %}

with profile as {{ rule_profile() }},

cohort as (
    select
        student_id,
        cip_code,
        -- Calendar quarters counted from year 0: the exit's quarter, plus two.
        cast(extract(year from exit_date) as integer) * 4
            + cast(floor((extract(month from exit_date) - 1) / 3) as integer) + 2 as quarter_index
    from {{ ref('int_leavers_classified') }}
    where school_year = {{ year }} - 1
      and is_placement_eligible
),

quarters as (
    select
        student_id,
        cip_code,
        cast(floor(quarter_index / 4) as integer) as quarter_year,
        quarter_index - 4 * cast(floor(quarter_index / 4) as integer) + 1 as quarter_number
    from cohort
),

bounds as (
    select
        *,
        make_date(quarter_year, quarter_number * 3 - 2, 1) as quarter_start,
        make_date(quarter_year, quarter_number * 3, case when quarter_number in (2, 3) then 30 else 31 end)
            as quarter_end
    from quarters
),

enrollments as (
    -- Found enrolled in the quarter; related when the major's two-digit CIP family is the one of
    -- the primary program (11.0701 or 110701: family 11).
    select
        bounds.student_id,
        max(case when nsc.enrollment_cip is not null
                  and case when {{ dbt.position("'.'", 'nsc.enrollment_cip') }} > 0
                           then lpad({{ dbt.split_part('nsc.enrollment_cip', "'.'", 1) }}, 2, '0')
                           else substr(nsc.enrollment_cip, 1, 2) end = substr(bounds.cip_code, 1, 2)
                 then 1 else 0 end) = 1 as in_related_field
    from bounds
    inner join {{ ref('int_nsc_detail_loaded') }} as nsc
        on bounds.student_id = nsc.student_id
    where nsc.school_year = {{ year }}
      and nsc.record_found
      and not coalesce(nsc.graduated, false)
      and nsc.enrollment_begin <= bounds.quarter_end
      and nsc.enrollment_end >= bounds.quarter_start
      and coalesce(nsc.enrollment_status, '') not in ('W', 'A', 'D')
    group by bounds.student_id
),

deaths as (
    select distinct student_id
    from {{ ref('int_nsc_detail_loaded') }}
    where school_year = {{ year }} and record_found and enrollment_status = 'D'
),

enlistments as (
    {{ in_the_quarter('int_military_service_loaded', 'entry_date', 'separation_date') }}
),

service_terms as (
    {{ in_the_quarter('int_service_programs_loaded', 'start_date', 'end_date') }}
),

earnings as (
    -- Wages of the quarter, summed over every employer.
    select bounds.student_id, sum(wages.wages) as quarter_wages
    from bounds
    inner join {{ ref('int_wage_records_loaded') }} as wages
        on bounds.student_id = wages.student_id
        and bounds.quarter_year = wages.year
        and bounds.quarter_number = wages.quarter
    where wages.school_year = {{ year }}
    group by bounds.student_id
)

select
    bounds.student_id,
    cast(bounds.quarter_year as {{ dbt.type_string() }}) || 'Q'
        || cast(bounds.quarter_number as {{ dbt.type_string() }}) as measurement_quarter,
    bounds.quarter_start,
    bounds.quarter_end,
    enrollments.student_id is not null as found_postsecondary,
    coalesce(enrollments.in_related_field, false) as found_in_related_field,
    enlistments.student_id is not null as found_military,
    service_terms.student_id is not null as found_service,
    coalesce(earnings.quarter_wages > 0 and earnings.quarter_wages >= profile.least_wages, false)
        as found_employment,
    deaths.student_id is not null as deceased_by_records
from bounds
cross join profile
left join enrollments on bounds.student_id = enrollments.student_id
left join deaths on bounds.student_id = deaths.student_id
left join enlistments on bounds.student_id = enlistments.student_id
left join service_terms on bounds.student_id = service_terms.student_id
left join earnings on bounds.student_id = earnings.student_id
