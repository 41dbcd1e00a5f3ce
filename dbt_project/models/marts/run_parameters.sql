-- What built this warehouse (issue: the warehouse records what built it): the school year,
-- the rule profile with its parameters, the suppression threshold and the code version.
-- The snapshot manifest, report, diff and exports read the settings from here.
select
    {{ run_var('school_year') }} as school_year,
    profile.*,
    {{ run_var('suppression_threshold') }} as suppression_threshold,
    '{{ run_var('code_version') }}' as code_version,
    '{{ target.type }}' as engine
from {{ rule_profile() }} as profile
