"""`--engine spark` (issue 15): the same dbt models on Spark session mode give the same snapshot
as DuckDB, every table, row and column.

Spark certifies once, under `az`, the profile that sets the most parameters (credits, one program,
excluded course types, a roster row in the year). The profiles differ only in their row of the
`rule_profiles` seed, which every model reads as data; that seed (and the others) as Spark loaded
them are compared with DuckDB's too, so an empty cell Spark misread (dbt-spark#901) would show."""

import importlib.util
import json
import os
import shutil
import subprocess

import polars as pl
import pytest

from pipeline.paths import DataDir
from pipeline.snapshot import MANIFEST, SNAPSHOT_TABLES
from tests.conftest import CTESNAP, sorted_rows

SPARK = importlib.util.find_spec("pyspark") is not None
SEEDS = ("rule_profiles", "indicators", "exit_codes")


@pytest.mark.skipif(not SPARK and not os.environ.get("CI"), reason="the spark extra is installed by dev.sh test")
def test_spark_certifies_the_same_snapshot_as_duckdb(tmp_path):
    assert SPARK, "dbt-spark is missing: bash dev.sh test installs the spark extra"
    source = DataDir(tmp_path / "generated")
    subprocess.run([CTESNAP, "--data-dir", str(source.root), "generate", "--students", "2000", "--years",
                    "2023-24..2024-25", "--seed", "11"], check=True, capture_output=True)
    runs = {}
    for engine in ("duckdb", "spark"):
        data = DataDir(tmp_path / engine)
        shutil.copytree(source.raw, data.raw)
        # Both certifications at once: each data directory has its own lock (and Spark its own metastore).
        runs[engine] = data, subprocess.Popen(
            [CTESNAP, "--data-dir", str(data.root), "snapshot", "--year", "2024-25", "--date", "2025-12-05",
             "--profile", "az", "--engine", engine], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for engine, (_, process) in runs.items():
        _, err = process.communicate(timeout=1800)
        assert process.returncode == 0, (engine, err)
    folders = {engine: data.snapshots(2025) / "2025-12-05" for engine, (data, _) in runs.items()}
    for table in SNAPSHOT_TABLES:
        built = {engine: pl.read_parquet(folder / f"{table}.parquet") for engine, folder in folders.items()}
        assert built["duckdb"].height > 0, table
        assert built["duckdb"].schema == built["spark"].schema, table
        assert built["duckdb"].equals(built["spark"]), table  # snapshots are written sorted
    engines = {engine: json.loads((folder / MANIFEST).read_text())["engine"]["name"]
               for engine, folder in folders.items()}
    assert engines == {"duckdb": "duckdb", "spark": "spark"}
    for seed in SEEDS:
        loaded = {engine: sorted_rows(data.warehouse_db(2025), seed) for engine, (data, _) in runs.items()}
        assert loaded["spark"] == loaded["duckdb"], seed
