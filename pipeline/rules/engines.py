"""What `--engine spark` needs beyond dbt: Spark's tables back into the year's DuckDB file.

dbt-spark writes every model and seed it built, but the views over staged extracts, as Parquet
(macros/engine.sql, on-run-end); loading them as tables of the year's DuckDB file means the checks,
snapshot, report, exports and diff read the same relations whichever engine computed them.
"""

import shutil
from pathlib import Path

import duckdb

from pipeline.core.paths import DataDir


def clear_spark_run(data: DataDir, year: int) -> None:
    """A run starts without the tables of the last one: nothing stale is loaded, and Spark's
    catalog, which lives in memory (profiles.yml), finds no table folder in the way."""
    for folder in ("export", "tables"):
        shutil.rmtree(data.spark_dir(year) / folder, ignore_errors=True)


def load_spark_tables(data: DataDir, year: int) -> list[str]:
    """Replace the year's DuckDB relations with the Parquet Spark wrote; returns their names."""
    folders = sorted(p for p in (data.spark_dir(year) / "export").iterdir() if _has_parquet(p))
    data.warehouse_db(year).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(data.warehouse_db(year))) as con:
        views = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_type = 'VIEW'").fetchall()}
        for folder in folders:
            if folder.name in views:  # a view of a DuckDB run of the year
                con.execute(f'drop view "{folder.name}"')
            con.execute(f'create or replace table "{folder.name}" as '
                        f"select * from read_parquet('{folder}/*.parquet')")
    return [f.name for f in folders]


def _has_parquet(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.parquet"))
