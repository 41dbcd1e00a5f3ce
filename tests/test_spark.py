"""`--engine spark` (issue 15): the same dbt models on Spark session mode give the same snapshot
as DuckDB, every table, row and column, under every profile."""

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from pipeline.paths import DataDir
from pipeline.snapshot import MANIFEST, SNAPSHOT_TABLES
from tests.test_cli import CTESNAP

SPARK = importlib.util.find_spec("pyspark") is not None
PROFILES = ("federal", "az", "wi")


@pytest.mark.skipif(not SPARK and not os.environ.get("CI"), reason="the spark extra is installed by dev.sh test")
def test_spark_certifies_the_same_snapshot_as_duckdb_under_every_profile(tmp_path):
    assert SPARK, "dbt-spark is missing: bash dev.sh test installs the spark extra"
    source = DataDir(tmp_path / "generated")
    subprocess.run([CTESNAP, "--data-dir", str(source.root), "generate", "--students", "2000", "--years",
                    "2023-24..2024-25", "--seed", "11"], check=True, capture_output=True)
    runs = {}
    for profile in PROFILES:
        for engine in ("duckdb", "spark"):
            data = DataDir(tmp_path / f"{engine}-{profile}")
            shutil.copytree(source.raw, data.raw)
            # All six certifications at once: each data directory has its own lock and Spark metastore.
            runs[engine, profile] = data, subprocess.Popen(
                [CTESNAP, "--data-dir", str(data.root), "snapshot", "--year", "2024-25", "--date", "2025-12-05",
                 "--profile", profile, "--engine", engine], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for (engine, profile), (_, process) in runs.items():
        _, err = process.communicate(timeout=1800)
        assert process.returncode == 0, (engine, profile, err)
    for profile in PROFILES:
        folders: dict[str, Path] = {e: runs[e, profile][0].snapshots(2025) / "2025-12-05" for e in ("duckdb", "spark")}
        for table in SNAPSHOT_TABLES:
            built = {e: pl.read_parquet(folder / f"{table}.parquet") for e, folder in folders.items()}
            assert built["duckdb"].height > 0, (profile, table)
            assert built["duckdb"].schema == built["spark"].schema, (profile, table)
            assert built["duckdb"].equals(built["spark"]), (profile, table)  # snapshots are written sorted
        engines = {e: json.loads((folder / MANIFEST).read_text())["engine"]["name"] for e, folder in folders.items()}
        assert engines == {"duckdb": "duckdb", "spark": "spark"}
