-- Staged wage rows that fail a rule check: none beyond their format checks (SPEC 11.2: year,
-- quarter and wages in range are checked as the file is read).
{{ rejected_by_rules('wage_records', []) }}
