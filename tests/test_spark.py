"""`--engine spark` (issue 15): the same dbt models on Spark session mode give the same snapshot
as DuckDB, every table, row and column, under every profile; and the seeds as Spark loaded them
equal DuckDB's (an empty cell read as 'None', dbt-spark#901, would show there)."""

import importlib.util
import json
import os
import shutil
import subprocess

import polars as pl
import pytest

from pipeline.core.paths import DataDir
from pipeline.snapshot.publish import MANIFEST, SNAPSHOT_TABLES
from tests.conftest import CTESNAP, sorted_rows

SPARK = importlib.util.find_spec("pyspark") is not None
PROFILES = ("federal", "az", "wi")
SEEDS = ("rule_profiles", "indicators", "exit_codes")
# Short Spark runs spend much of their CPU loading and compiling Spark's own code: the JVM's quick
# compiler alone (C1, not the optimising C2) and no bytecode verification of Spark's jars and the
# classes Spark generates took 22% less CPU a run here (README "Tests"). They change how fast the
# JVM runs Spark, not what Spark computes, and are kept to the test: C1 code would slow a
# state-scale run, and users' JVMs keep verifying what they load.
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote"


@pytest.mark.skipif(not SPARK and not os.environ.get("CI"), reason="the spark extra is installed by dev.sh test")
def test_spark_certifies_the_same_snapshot_as_duckdb_under_every_profile(generated, tmp_path):
    assert SPARK, "dbt-spark is missing: bash dev.sh test installs the spark extra"
    # DuckDB's side: the generated CSV state certified under each profile (shared with tests/test_edfi.py).
    duckdb_side = generated.snapshots(*(("csv", profile) for profile in PROFILES))
    # Added to any options already set (the environment as the test starts, not as it was imported).
    quick_jvm = {**os.environ, "JAVA_TOOL_OPTIONS": f"{os.environ.get('JAVA_TOOL_OPTIONS', '')} {QUICK_JVM}".strip()}
    runs = {}
    for profile in PROFILES:
        data = DataDir(tmp_path / profile)
        shutil.copytree(generated.data["csv"].raw, data.raw)
        # The three Spark certifications at once: each data directory has its own lock and Spark folder.
        runs[profile] = data, subprocess.Popen(
            [CTESNAP, "--data-dir", str(data.root), "snapshot", "--year", "2024-25", "--date",
             generated.DAYS[profile], "--profile", profile, "--engine", "spark"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=quick_jvm)
    for profile, (_, process) in runs.items():
        _, err = process.communicate(timeout=1800)
        assert process.returncode == 0, (profile, err)
    for profile, (data, _) in runs.items():
        folders = {"duckdb": duckdb_side["csv", profile], "spark": data.snapshots(2025) / generated.DAYS[profile]}
        for table in SNAPSHOT_TABLES:
            built = {engine: pl.read_parquet(folder / f"{table}.parquet") for engine, folder in folders.items()}
            assert built["duckdb"].height > 0, (profile, table)
            assert built["duckdb"].schema == built["spark"].schema, (profile, table)
            assert built["duckdb"].equals(built["spark"]), (profile, table)  # snapshots are written sorted
        engines = {engine: json.loads((folder / MANIFEST).read_text())["engine"]["name"]
                   for engine, folder in folders.items()}
        assert engines == {"duckdb": "duckdb", "spark": "spark"}
        for seed in SEEDS:
            assert sorted_rows(data.warehouse_db(2025), seed) == \
                sorted_rows(generated.certified_data("csv", profile).warehouse_db(2025), seed), (profile, seed)
