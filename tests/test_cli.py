"""The `ctesnap` command line, run as users run it: real processes on real files."""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipeline.paths import SAMPLE_RAW_DIR, DataDir
from pipeline.report import neutralise_formulas
from pipeline.snapshot import MANIFEST, verify

CTESNAP = str(Path(sys.executable).with_name("ctesnap"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def ctesnap(data: DataDir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CTESNAP, "--data-dir", str(data.root), *args], capture_output=True, text=True,
                          timeout=900)


def _sample(root: Path) -> DataDir:
    data = DataDir(root)
    shutil.copytree(SAMPLE_RAW_DIR, data.raw)
    return data


def _rewrite_csv(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def certified(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataDir, Path]:
    """The bundled sample, one school dropped from the 2024-25 roster (a warning), certified."""
    data = _sample(tmp_path_factory.mktemp("certified"))
    _rewrite_csv(data.raw / "2024-25" / "roster.csv",
                 lambda rows: [r for r in rows if r["school_id"] != "0001-002"])
    result = ctesnap(data, "snapshot", "--year", "2024-25", "--date", "2025-12-05")
    assert result.returncode == 0, result.stderr
    return data, data.snapshots(2025) / "2025-12-05"


def test_a_warning_does_not_block_certification(certified):
    data, folder = certified
    assert verify(folder) == []
    expectations = json.loads((folder / MANIFEST).read_text())["expectations"]
    assert expectations["summary"]["failed_errors"] == 0
    assert expectations["summary"]["failed_warnings"] >= 1
    failed = [o["description"] for o in expectations["outcomes"] if not o["success"]]
    assert "every school with roster rows last year has some this year" in failed


def test_runs_are_recorded_under_the_data_dir(certified):
    data, _ = certified
    instance = dg.DagsterInstance.from_config(str(data.dagster_home))
    runs = instance.get_runs()
    assert [r.job_name for r in runs] == ["certify"]
    assert runs[0].tags["dagster/partition"] == "2024-25"
    assert runs[0].status == dg.DagsterRunStatus.SUCCESS


def test_verify_command(certified, tmp_path):
    data, folder = certified
    assert ctesnap(data, "verify", str(folder)).returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "students.parquet").chmod(0o644)
    (copy / "students.parquet").unlink()
    result = ctesnap(data, "verify", str(copy))
    assert result.returncode != 0
    assert result.stderr.strip() == f"ctesnap: {copy}: students.parquet is listed but missing"


def test_second_snapshot_same_date_is_refused(certified):
    data, folder = certified
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = ctesnap(data, "snapshot", "--year", "2025", "--date", "2025-12-05")
    assert result.returncode != 0
    assert "exists already and is never overwritten" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_diff_snapshot_against_changed_current_view(certified, tmp_path):
    data, folder = certified
    same = json.loads(ctesnap(data, "diff", str(folder), "current", "--json").stdout)
    assert all(not c["entering"] and not c["leaving"] for c in same["tables"].values())
    assert same["indicators"] == []
    # A graduate's exit is withdrawn: they leave cte_graduates in the current view.
    with duckdb.connect(str(data.warehouse_db(2025)), read_only=True) as con:
        graduate = con.execute("select student_id from cte_graduates order by 1 limit 1").fetchone()[0]
    exits = data.raw / "2024-25" / "exits.xlsx"
    frame = pl.read_excel(exits, infer_schema_length=0)
    frame.filter(pl.col("student_id") != graduate).write_excel(exits)
    assert ctesnap(data, "materialize", "--year", "2024-25").returncode == 0
    changed = json.loads(ctesnap(data, "diff", str(folder), "current", "--json").stdout)
    assert changed["tables"]["cte_graduates"]["leaving"] == [graduate]
    assert changed["tables"]["cte_graduates"]["entering"] == []
    assert any(c["indicator"] == "GRAD_EXIT" and c["group_type"] == "all" for c in changed["indicators"])
    readable = ctesnap(data, "diff", str(folder), "current")
    assert readable.returncode == 0 and "cte_graduates" in readable.stdout


# Never skipped in CI: the README's test command installs Chromium, and a missing browser must fail there.
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is installed by dev.sh test")
def test_report_renders_in_a_real_browser(certified, tmp_path):
    data, _ = certified
    result = ctesnap(data, "report", "--year", "2024-25", "--snapshot", "2025-12-05")
    assert result.returncode == 0, result.stderr
    page = Path(result.stdout.strip())
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    screenshot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1300,4000", f"--screenshot={screenshot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert screenshot.stat().st_size > 50_000
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "CTE accountability review, school year 2024-25" in dom
    assert "Source: snapshot of 2025-12-05" in dom
    assert "Ready to certify" in dom
    assert "every school with roster rows last year has some this year" in dom
    assert "Participant and concentrator summary by program" in dom and "All programs" in dom
    assert dom.count("<svg") >= 5  # charts rendered inline
    assert "suppressed" in dom


def test_blocked_year_is_refused_and_the_report_names_the_cause(tmp_path):
    data = _sample(tmp_path)

    def break_roster(rows):
        for index, row in enumerate(rows):
            if index % 3 == 0:
                row["course_code"] = "99999999"  # not on the coherent sequence
        rows[1]["student_id"] = "=HYPERLINK(\"http://x\")"
        return rows

    _rewrite_csv(data.raw / "2024-25" / "roster.csv", break_roster)
    result = ctesnap(data, "snapshot", "--year", "2024-25", "--date", "2025-12-05")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ctesnap: 2024-25 not certified: ")
    assert "no input file has more than 20% of its rows rejected" in last
    assert "Traceback" not in result.stderr
    assert not (data.snapshots(2025) / "2025-12-05").exists()
    report = ctesnap(data, "report", "--year", "2024-25")
    assert report.returncode == 0, report.stderr
    html = Path(report.stdout.strip()).read_text()
    assert "Certification blocked" in html
    assert "no input file has more than 20% of its rows rejected" in html
    assert "COURSE_NOT_IN_SEQUENCE" in html
    exported = (Path(report.stdout.strip()).parent / "records_not_added.csv").read_text()
    assert "'=HYPERLINK" in exported and "\n2025,roster,raw/2024-25/roster.csv,3,=" not in exported


def test_formula_cells_are_neutralised():
    frame = pl.DataFrame({"v": ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok", None], "n": list(range(8))})
    assert neutralise_formulas(frame)["v"].to_list() == [
        "'=1+2", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ok", None]


def test_bad_arguments_give_one_line(tmp_path):
    data = DataDir(tmp_path)
    for args, message in [
        (["materialize", "--year", "24-25"], "ctesnap: '24-25' is not a school year: type it as 2024-25 or 2025"),
        (["materialize", "--year", "2024-25", "--profile", "tx"],
         "ctesnap: unknown profile 'tx': choose one of federal, az, wi"),
        (["snapshot", "--year", "2024-25", "--date", "Dec 5"], "ctesnap: --date 'Dec 5' is not a date (YYYY-MM-DD)"),
        (["report", "--year", "2024-25"], "ctesnap: 2024-25 has no current view: materialize it first"),
        (["materialize", "--year", "2024-25", "--suppression-threshold", "0"],
         "ctesnap: Invalid value for '--suppression-threshold': 0 is not in the range x>=1."),
        (["materialize"], "ctesnap: Missing option '--year'."),
    ]:
        result = ctesnap(data, *args)
        assert result.returncode != 0
        assert result.stderr.strip() == message


def test_unreadable_extract_fails_the_year_without_traceback(tmp_path):
    data = _sample(tmp_path)
    (data.raw / "2024-25" / "students.csv").write_bytes(b"\x00\xff\xfe garbage \x00" * 50)
    result = ctesnap(data, "materialize", "--year", "2024-25")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ctesnap: 2024-25: raw/2024-25/students.csv: ")
    assert "Traceback" not in result.stderr
    assert not data.warehouse_db(2025).exists()


def test_data_dir_may_follow_the_command(tmp_path):
    command = [CTESNAP, "generate", "--students", "60", "--years", "2024-25", "--data-dir", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == ["2024-25", "reference"]
