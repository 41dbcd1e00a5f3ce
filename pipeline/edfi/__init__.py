"""Ed-Fi input (SPEC 10): a year's Ed-Fi API resources read as the same extract kinds as CSV."""
