-- What the expectations of suite mart_program_participation (summary) check: Student x program credits (docs/rules.md#building-blocks, docs/snapshot.md).
select count(*) filter (where credits_earned_cumulative < credits_earned_year) as cumulative_below_year, count(*) filter (where courses_completed_cumulative < courses_completed_year) as courses_below_year
from {{ ref('program_participation') }}
