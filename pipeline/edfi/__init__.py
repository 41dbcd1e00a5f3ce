"""Ed-Fi input (docs/inputs.md#ed-fi-resources): a year's Ed-Fi API resources read as the same extract kinds as CSV."""
