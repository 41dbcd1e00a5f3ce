-- Staged military-service rows that fail a rule check of docs/placement-records.md: a service does not end before it begins.
{{ rejected_by_rules('military_service', [
    ("separation_date < entry_date", "BAD_VALUE", "'separation_date is before entry_date'"),
]) }}
