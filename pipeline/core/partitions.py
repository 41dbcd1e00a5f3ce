"""School-year partitions. Keys are labels (`2024-25`); years are added as folders appear."""

import dagster as dg

school_year_partitions = dg.DynamicPartitionsDefinition(name="school_year")
