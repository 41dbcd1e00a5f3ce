-- Staged wage rows that fail a rule check: none beyond their format checks (docs/placement-records.md: year,
-- quarter and wages in range are checked as the file is read).
{{ rejected_by_rules('wage_records', []) }}
