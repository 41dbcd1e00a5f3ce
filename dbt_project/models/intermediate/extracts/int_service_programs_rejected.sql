-- Staged service-program rows that fail a rule check of docs/placement-records.md: a term does not end before it begins.
{{ rejected_by_rules('service_programs', [
    ("end_date < start_date", "BAD_VALUE", "'end_date is before start_date'"),
]) }}
