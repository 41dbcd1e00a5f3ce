"""Ingest: extracts (CSV, XLSX, Ed-Fi) read, typed and checked into staged Parquet; earlier
certifications as an input."""
