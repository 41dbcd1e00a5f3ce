-- Staged Clearinghouse rows that fail a rule check of docs/placement-records.md: a found row names its college, and
-- its enrollment dates unless it is a degree row; an enrollment does not end before it begins.
{{ rejected_by_rules('nsc_detail', [
    ("record_found and college_code is null", "MISSING_VALUE",
     "'College Code/Branch is missing on a row with Record Found Y'"),
    ("record_found and not coalesce(graduated, false) and (enrollment_begin is null or enrollment_end is null)",
     "MISSING_VALUE", "'Enrollment Begin and Enrollment End are needed on a found enrollment row'"),
    ("enrollment_end < enrollment_begin", "BAD_VALUE", "'Enrollment End is before Enrollment Begin'"),
]) }}
