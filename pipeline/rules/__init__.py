"""Rules: the dbt project as Dagster runs it (the rules themselves are in dbt_project/)."""
