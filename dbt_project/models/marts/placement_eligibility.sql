select school_year, student_id, exit_code, exit_date, primary_program_code
from {{ ref('int_leavers_classified') }}
where school_year = {{ run_var('school_year') }}
  and is_placement_eligible
