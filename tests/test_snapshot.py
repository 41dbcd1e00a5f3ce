"""The December snapshot: atomic under SIGKILL, never overwritten, verifiable."""

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.checks.expectations import results_path
from pipeline.core.certification import LOG
from pipeline.core.paths import DataDir
from pipeline.ingest.certified import in_force, list_snapshots
from pipeline.snapshot.diff import diff
from pipeline.snapshot.publish import (
    MANIFEST,
    SNAPSHOT_TABLES,
    SnapshotError,
    SnapshotRequest,
    publish,
    verify,
    verify_year,
)
from tests.conftest import copy_of_sample, materialize, sorted_rows

YEAR = 2025
PUBLISH_SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
from pipeline.core.paths import DataDir
from pipeline.snapshot.publish import SnapshotError, SnapshotRequest, publish
data = DataDir(Path(sys.argv[1]))
expectations = json.loads((data.reports(2025) / "expectations.json").read_text())
try:
    print(publish(SnapshotRequest(data, 2025, date.fromisoformat(sys.argv[2]), "corrected files", "the director"),
                  expectations))
except SnapshotError as error:
    print(error, file=sys.stderr)
    sys.exit(3)
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    """The bundled sample, materialized for 2024-25 through the real job."""
    data = copy_of_sample(tmp_path_factory.mktemp("sample"))
    materialize(data, YEAR)
    return data


def _expectations(data: DataDir) -> dict:
    return json.loads(results_path(data, YEAR).read_text())


def _publish_in_subprocess(data: DataDir, day: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(data.root)}
    if crash_at:
        env["CTESNAP_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-c", PUBLISH_SCRIPT, str(data.root), day],
                          capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent, timeout=120)


def test_publish_writes_every_table_with_a_matching_manifest(sample):
    folder = publish(SnapshotRequest(sample, YEAR, date(2025, 12, 1)),
                     _expectations(sample))
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["school_year"] == "2024-25" and manifest["snapshot_date"] == "2025-12-01"
    assert manifest["rule_profile"]["name"] == "federal"
    assert manifest["rule_profile"]["parameters"]["concentrator_min"] == 2.0
    assert manifest["certification"] == {"number": 1, "action": "certify", "supersedes": None, "reason": None,
                                         "approved_by": None, "requested_by": []}
    line = json.loads((folder.parent / LOG).read_text())
    assert (line["number"], line["snapshot_date"], line["previous_sha256"]) == (1, "2025-12-01", None)
    assert manifest["expectations"]["summary"]["failed_errors"] == 0
    assert {o["name"] for o in manifest["outputs"]} == {f"{t}.parquet" for t in SNAPSHOT_TABLES}
    assert {p.name for p in folder.iterdir()} == {o["name"] for o in manifest["outputs"]} | {MANIFEST}
    for output in manifest["outputs"]:
        table = pq.read_table(folder / output["name"])
        assert table.num_rows == output["rows"]
        assert [c["name"] for c in output["columns"]] == table.column_names
    # Every input file of the year and the reference lists, with rows read = loaded + rejected.
    inputs = manifest["inputs"]
    assert {i["path"] for i in inputs} >= {"raw/2024-25/students.csv", "raw/2024-25/exits.xlsx",
                                           "raw/reference/programs.csv"}
    assert all(i["rows_read"] == i["rows_loaded"] + i["rows_rejected"] for i in inputs)
    assert verify(folder) == []
    assert all(not (p.stat().st_mode & 0o222) for p in folder.iterdir())


def test_snapshot_rows_equal_the_current_view(sample):
    folder = sample.snapshots(YEAR) / "2025-12-01"
    for table in SNAPSHOT_TABLES:
        current = sorted_rows(sample.warehouse_db(YEAR), table)
        assert sorted_rows(folder, table) == current, table
        assert pq.read_table(folder / f"{table}.parquet").num_rows == len(current)


def test_existing_snapshot_is_never_overwritten(sample):
    folder = sample.snapshots(YEAR) / "2025-12-01"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(SnapshotError, match="exists already and is never overwritten"):
        publish(SnapshotRequest(sample, YEAR, date(2025, 12, 1), "again", "the director"),
                _expectations(sample))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    second = _publish_in_subprocess(sample, "2025-12-02")
    assert second.returncode == 0, second.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in list_snapshots(sample, YEAR)] == ["2025-12-01", "2025-12-02"]


POINTS = ("staging_created", "tables_exported", "manifest_written", "sealed", "owed", "renamed")


@pytest.mark.parametrize("point", POINTS)
def test_sigkill_leaves_no_partial_snapshot(sample, point):
    """An amendment killed while it publishes: before the rename the snapshots folder and the log
    are as they were, and a rerun succeeds; after it the certification is whole once the log line
    it owes is appended by the next command that reads the year."""
    day = f"2025-12-{10 + POINTS.index(point)}"
    folder = sample.snapshots(YEAR)
    before = (sorted(p.name for p in folder.iterdir()), (folder / LOG).read_bytes())
    killed = _publish_in_subprocess(sample, day, crash_at=point)
    assert killed.returncode == -9, killed.stderr
    target = folder / day
    if point == "renamed":
        assert verify(target) == []  # the rename happened: the whole snapshot is there
        assert in_force(sample, YEAR) == target  # and reading the year appends the line it owes
        assert verify_year(folder) == []
        return
    assert (sorted(p.name for p in folder.iterdir()), (folder / LOG).read_bytes()) == before
    retried = _publish_in_subprocess(sample, day)
    assert retried.returncode == 0, retried.stderr
    assert verify(target) == [] and verify_year(folder) == []
    assert not list((sample.root / "warehouse" / ".publishing").iterdir())  # the killed attempt's leftovers are gone


def test_two_certifications_at_once_one_wins(sample):
    command = [sys.executable, "-c", PUBLISH_SCRIPT, str(sample.root), "2025-12-20"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(sample.root)}
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=Path(__file__).parent.parent) for _ in range(2)]
    codes = sorted(run.wait(timeout=120) for run in runs)
    errors = [run.stderr.read() for run in runs]
    assert codes == [0, 3], errors
    message = next(e for e in errors if e.strip())
    assert message.count("\n") == 1 and ("being certified" in message or "exists already" in message)
    assert verify(sample.snapshots(YEAR) / "2025-12-20") == []


@pytest.mark.parametrize("tamper", ["one_byte", "delete", "add", "manifest"])
def test_verify_detects_tampering(sample, tmp_path, tamper):
    copy = tmp_path / "copy"
    shutil.copytree(sample.snapshots(YEAR) / "2025-12-01", copy)
    for path in [copy, *copy.iterdir()]:
        path.chmod(0o755)
    assert verify(copy) == []
    if tamper == "one_byte":
        target = copy / "concentrators.parquet"
        content = bytearray(target.read_bytes())
        content[len(content) // 2] ^= 0x01
        target.write_bytes(bytes(content))
        expected = "concentrators.parquet was changed (SHA-256 differs)"
    elif tamper == "delete":
        (copy / "students.parquet").unlink()
        expected = "students.parquet is listed but missing"
    elif tamper == "add":
        (copy / "notes.txt").write_text("hello")
        expected = "notes.txt is not listed in the manifest"
    else:
        (copy / MANIFEST).write_text((copy / MANIFEST).read_text().replace('"federal"', '"az"'))
        expected = f"{MANIFEST} was changed after certification"
    assert expected in verify(copy)


def test_diff_of_two_snapshots_of_the_same_data_is_empty(sample):
    result = diff(str(sample.snapshots(YEAR) / "2025-12-01"), str(sample.snapshots(YEAR) / "2025-12-02"), sample)
    assert set(result.tables) == set(SNAPSHOT_TABLES) - {"perkins_indicators", "performance_status"}
    assert all(not change["entering"] and not change["leaving"] for change in result.tables.values())
    assert result.indicators == []
