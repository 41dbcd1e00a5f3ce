-- What the expectations of suite mart_records_not_added (codes) check: Rejected input rows of the year (docs/rules.md#rejected-rows).
select reason_code, min(row_number) as first_row, count(*) as rows
from {{ ref('records_not_added') }}
group by all
