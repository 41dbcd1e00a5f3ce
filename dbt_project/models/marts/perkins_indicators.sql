-- Perkins V core indicators of year Y by group, with small-cell suppression (SPEC 6).
-- Each fact is one student counted in an indicator's denominator; in_numerator says whether
-- they count in its numerator too.
{% set flags = special_populations() %}
{% set year = var('school_year') %}

with graduates_with_credential as (
    select distinct graduates.student_id
    from {{ ref('cte_graduates') }} as graduates
    inner join {{ ref('int_credentials_loaded') }} as credentials
        on graduates.student_id = credentials.student_id
    where credentials.result = 'P'
      and credentials.exam_date <= graduates.exit_date
),

graduates_with_work_based_learning as (
    select distinct roster.student_id
    from {{ ref('int_roster_loaded') }} as roster
    where roster.credits_earned > 0
      and roster.course_type in ('internship', 'coop', 'dce')
),

leavers as (
    select * from {{ ref('int_leavers_classified') }} where school_year = {{ year }}
),

facts as (
    select 'PARTICIPANTS' as indicator, students.*, null as primary_program_code, null as career_cluster,
           null as placement_type, participants.student_id is not null as in_numerator
    from {{ ref('students') }} as students
    left join {{ ref('participants') }} as participants using (student_id)
    union all
    select 'CONCENTRATORS', students.*, null, null, null, concentrators.student_id is not null
    from {{ ref('students') }} as students
    left join {{ ref('concentrators') }} as concentrators using (student_id)
    union all
    select '1S1', {{ student_columns('leavers') }}, leavers.primary_program_code,
           leavers.career_cluster, null, leavers.is_graduate
    from leavers
    where leavers.exit_code not in ('T', 'D')
    union all
    select '4S1', {{ student_columns('c') }}, c.primary_program_code, c.career_cluster, null,
           c.gender = c.nontrad_gender
    from {{ ref('concentrators') }} as c
    where c.nontrad_gender is not null
    union all
    select '5S1', {{ student_columns('leavers') }}, leavers.primary_program_code,
           leavers.career_cluster, null, credential.student_id is not null
    from leavers
    left join graduates_with_credential as credential using (student_id)
    where leavers.is_graduate
    union all
    select '5S3', {{ student_columns('leavers') }}, leavers.primary_program_code,
           leavers.career_cluster, null, wbl.student_id is not null
    from leavers
    left join graduates_with_work_based_learning as wbl using (student_id)
    where leavers.is_graduate
    union all
    select '3S1', {{ student_columns('o') }}, o.primary_program_code, o.career_cluster,
           o.placement_type, o.placed
    from {{ ref('placement_outcomes') }} as o
    where not o.deceased
),

combinations as (
    -- Facts with the same indicator and group values counted once before the unpivot, so the
    -- unpivot turns tens of thousands of rows, not every fact, into one row per group.
    select
        indicator,
        'all' as "all",
        gender,
        race_ethnicity,
        {% for flag in flags %}case when {{ flag }} then 'Y' else 'N' end as {{ flag }},{% endfor %}
        primary_program_code as program_code,
        cast(career_cluster as varchar) as career_cluster,
        case when in_numerator then placement_type end as placement_type,
        count(*) filter (where in_numerator) as numerator,
        count(*) as denominator
    from facts
    group by all
),

grouped as (
    unpivot combinations
    on "all", gender, race_ethnicity, {{ flags | join(', ') }}, program_code, career_cluster, placement_type
    into name group_type value group_value
),

counted as (
    select
        indicator,
        group_type,
        group_value,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from grouped
    group by indicator, group_type, group_value
),

cells as (
    -- A placement type's share is of all 3S1 students, not of those placed that way.
    select
        counted.indicator,
        counted.group_type,
        counted.group_value,
        counted.numerator,
        case when counted.group_type = 'placement_type' then overall.denominator
             else counted.denominator end as denominator
    from counted
    left join counted as overall
        on counted.indicator = overall.indicator
        and overall.group_type = 'all'
),

primary_suppression as (
    select
        *,
        denominator < {{ var('suppression_threshold') }} as is_small,
        count(*) filter (where denominator < {{ var('suppression_threshold') }})
            over (partition by indicator, group_type) as small_cells,
        count(*) over (partition by indicator, group_type) as cells_in_group
    from cells
),

complementary as (
    -- With one small cell in a group, the `all` row minus the others would give it away:
    -- suppress the next smallest cell of that group too.
    select
        *,
        row_number() over (
            partition by indicator, group_type, is_small order by denominator, group_value
        ) as rank_in_kind
    from primary_suppression
)

select
    {{ year }} as school_year,
    indicator,
    group_type,
    group_value,
    case when suppressed then null else numerator end as numerator,
    denominator,
    case when suppressed or denominator = 0 then null
         else round(numerator / denominator, 4) end as rate,
    suppressed
from (
    select
        *,
        is_small
        or (not is_small and small_cells = 1 and cells_in_group > 1 and rank_in_kind = 1
            and group_type <> 'all') as suppressed
    from complementary
)
