"""The `ctesnap` command line, run as users run it: real processes on real files."""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from pipeline.core.paths import DataDir
from pipeline.exports import tables
from pipeline.exports.report import ReportSource, neutralise_formulas
from pipeline.snapshot.publish import MANIFEST, verify
from tests.conftest import CTESNAP, copy_of_sample, ctesnap, sorted_rows

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _browser_dom(page: Path, tmp_path: Path) -> str:
    """Open a page in headless Chromium: take a screenshot (it must show something) and return the DOM."""
    assert CHROMIUM, "Chromium is missing: bash dev.sh test installs it"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    screenshot = tmp_path / f"{page.parent.name}.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1300,4000", f"--screenshot={screenshot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert screenshot.stat().st_size > 50_000
    return subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                          timeout=120, check=True).stdout


def _listing(folder: Path) -> list[str] | None:
    """Every file and folder below `folder`, hidden ones included; None when it does not exist."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else None


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
    data = copy_of_sample(tmp_path_factory.mktemp("certified"))
    _rewrite_csv(data.raw / "2024-25" / "roster.csv",
                 lambda rows: [r for r in rows if r["school_id"] != "10012"])
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


@pytest.fixture(scope="module")
def rematerialized(certified: tuple[DataDir, Path]) -> dict[str, Any]:
    """The certified year compared with its current view; then one graduate's exit withdrawn from the
    extract and the year materialized again (the CLI's output kept)."""
    data, folder = certified
    same = json.loads(ctesnap(data, "diff", str(folder), "current", "--json").stdout)
    with duckdb.connect(str(data.warehouse_db(2025)), read_only=True) as con:
        graduate = con.execute("select student_id from cte_graduates order by 1 limit 1").fetchone()[0]
    exits = data.raw / "2024-25" / "exits.xlsx"
    frame = pl.read_excel(exits, infer_schema_length=0)
    frame.filter(pl.col("student_id") != graduate).write_excel(exits)
    return {"same": same, "graduate": graduate, "materialize": ctesnap(data, "materialize", "--year", "2024-25")}


def test_diff_snapshot_against_changed_current_view(certified, rematerialized):
    data, folder = certified
    assert all(not c["entering"] and not c["leaving"] for c in rematerialized["same"]["tables"].values())
    assert rematerialized["same"]["indicators"] == []
    # The graduate whose exit was withdrawn leaves cte_graduates in the current view.
    assert rematerialized["materialize"].returncode == 0, rematerialized["materialize"].stderr
    changed = json.loads(ctesnap(data, "diff", str(folder), "current", "--json").stdout)
    assert changed["tables"]["cte_graduates"]["leaving"] == [rematerialized["graduate"]]
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
    dom = _browser_dom(page, tmp_path)
    assert "CTE accountability review, school year 2024-25" in dom
    assert "Source: snapshot of 2025-12-05" in dom
    assert "Ready to certify" in dom
    assert "every school with roster rows last year has some this year" in dom
    assert "Participant and concentrator summary by program" in dom and "All programs" in dom
    assert dom.count("<svg") >= 5  # charts rendered inline
    assert "suppressed" in dom


def test_blocked_year_is_refused_and_the_report_names_the_cause(tmp_path):
    data = copy_of_sample(tmp_path)

    def break_roster(rows):
        for index, row in enumerate(rows):
            if index % 3 == 0:
                row["course_code"] = "99999999"  # not on the coherent sequence
        rows[1]["student_id"] = "=HYPERLINK(\"http://x\")"
        return rows

    _rewrite_csv(data.raw / "2024-25" / "roster.csv", break_roster)
    before = _listing(data.root / "snapshots")
    result = ctesnap(data, "snapshot", "--year", "2024-25", "--date", "2025-12-05")
    assert result.returncode != 0
    assert _listing(data.root / "snapshots") == before  # hidden files included: not even a lock is left
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


def test_the_report_tables_are_written_as_csv_and_xlsx_alike(certified):
    data, folder = certified
    result = ctesnap(data, "report", "--year", "2024-25", "--snapshot", folder.name)
    assert result.returncode == 0, result.stderr
    page = Path(result.stdout.strip().splitlines()[-1])
    for name in ("records_not_added", "indicators"):
        as_csv = pl.read_csv(page.parent / f"{name}.csv", infer_schema_length=0)
        as_xlsx = pl.read_excel(page.parent / f"{name}.xlsx", infer_schema_length=0)
        assert as_xlsx.columns == as_csv.columns and as_xlsx.height == as_csv.height > 0, name


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
    data = copy_of_sample(tmp_path)
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


def test_concurrent_runs_of_one_year_never_mix_their_tables(tmp_path, sample_certified):
    """A federal certification and an az materialize started together: the az run waits, visibly,
    and the snapshot holds exactly what a federal certification made alone holds."""
    data = copy_of_sample(tmp_path)
    command = [CTESNAP, "--data-dir", str(data.root)]
    certify = subprocess.Popen([*command, "snapshot", "--year", "2024-25", "--date", "2025-12-07"],
                               stderr=subprocess.PIPE, text=True)
    lock = data.root / "warehouse" / ".run.lock"
    for _ in range(600):  # until the certification holds the run lock
        if lock.is_file() and lock.read_text():
            break
        subprocess.run(["sleep", "0.1"], check=True)
    other = subprocess.run([*command, "materialize", "--year", "2024-25", "--profile", "az"],
                           capture_output=True, text=True, timeout=900)
    assert certify.wait(timeout=900) == 0, certify.stderr.read()
    assert other.returncode == 0, other.stderr
    assert "waiting for the 2024-25 certify run started at" in other.stderr
    concurrent, alone = data.snapshots(2025) / "2025-12-07", sample_certified("federal")
    assert json.loads((concurrent / MANIFEST).read_text())["rule_profile"]["name"] == "federal"
    for table in ("concentrators", "perkins_indicators", "records_not_added", "placement_outcomes"):
        assert sorted_rows(concurrent, table) == sorted_rows(alone, table), table


def test_a_second_certification_of_the_same_date_fails_at_once(tmp_path):
    data = copy_of_sample(tmp_path)
    lock_path = data.root / "warehouse" / ".certify-2024-25-2025-12-09.lock"
    lock_path.parent.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time; f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX); "
        "print('held', flush=True); time.sleep(60)"), str(lock_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = ctesnap(data, "snapshot", "--year", "2024-25", "--date", "2025-12-09")
    finally:
        holder.kill()
    assert result.returncode != 0
    assert result.stderr.strip() == "ctesnap: another snapshot of 2024-25 on 2025-12-09 is being certified"
    assert not data.warehouse_db(2025).exists()  # refused before recomputing anything


@pytest.mark.parametrize(("day", "message"), [
    ("2025-09-30", "ctesnap: --date 2025-09-30 is too early: a snapshot of 2024-25 is dated after 2025-09-30 "
                   "(summer exits are reported until then)"),
    ("2099-12-05", "ctesnap: --date 2099-12-05 is in the future"),
])
def test_snapshot_dates_nobody_meant_are_refused(tmp_path, day, message):
    data = copy_of_sample(tmp_path)
    result = ctesnap(data, "snapshot", "--year", "2024-25", "--date", day)
    assert result.returncode != 0
    assert result.stderr.strip().startswith(message)
    assert not data.snapshots(2025).exists() or not any(data.snapshots(2025).iterdir())


def test_a_year_without_a_folder_leaves_no_partition_or_run(tmp_path):
    data = copy_of_sample(tmp_path)
    result = ctesnap(data, "materialize", "--year", "1999-00")
    assert result.returncode != 0
    assert result.stderr.strip() == f"ctesnap: raw/1999-00: no such folder of extracts under {data.root}"
    assert not data.dagster_home.exists()


def test_manifest_lists_every_file_read_and_counts_are_integers(certified):
    data, folder = certified
    manifest = json.loads((folder / MANIFEST).read_text())
    listed = {i["path"] for i in manifest["inputs"]}
    on_disk = {p.relative_to(data.root).as_posix() for p in data.raw.rglob("*") if p.is_file()}
    assert listed == on_disk  # earlier years' extracts and the reference lists included
    assert manifest["suppression_threshold"] == 10 and manifest["engine"]["name"] == "duckdb"
    schema = pq.read_schema(folder / "perkins_indicators.parquet")
    assert str(schema.field("numerator").type) == "int64" and str(schema.field("denominator").type) == "int64"
    types = {c["name"]: c["type"] for o in manifest["outputs"] if o["name"] == "perkins_indicators.parquet"
             for c in o["columns"]}
    assert types["numerator"] == "BIGINT" and types["denominator"] == "BIGINT"


def test_a_full_materialize_is_quiet_and_keeps_its_log(rematerialized):
    result = rematerialized["materialize"]
    assert result.returncode == 0, result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) <= 30, lines
    log = next(line.split("full log ")[1] for line in lines if "full log " in line)
    text = Path(log).read_text()
    assert "perkins_models" in text and "1 of " in text  # dbt's own lines are in the run's log
    assert "\x1b[" not in text  # no colour codes in a file


@pytest.mark.parametrize("profile", ["federal", "az", "wi"])
def test_the_bundled_data_certifies_under_every_profile(sample_certified, profile):
    manifest = json.loads((sample_certified(profile) / MANIFEST).read_text())
    assert manifest["rule_profile"]["name"] == profile


def test_the_exports_are_a_dagster_asset_of_the_latest_snapshot(certified):
    from pipeline.runner import execute

    data, folder = certified
    exports = data.root / "exports" / "2024-25" / folder.name
    shutil.rmtree(exports, ignore_errors=True)
    outcome = execute(data, "export", 2025, "federal", {})
    assert outcome.failure is None, outcome.failure
    with duckdb.connect() as con:
        recipients = {r[0] for r in con.execute(
            f"select distinct recipient_id from read_parquet('{folder}/students.parquet')").fetchall()}
    packets = {p.name for p in (exports / "packets").iterdir() if (p / "index.html").is_file()}
    assert recipients <= packets and len(packets) >= 2
    assert (exports / "car" / "car_secondary_2024-25.xlsx").is_file()
    assert (exports / "public" / "perkins_indicators.csv").is_file()


def test_packets_from_spawned_processes_equal_packets_written_in_process(certified, tmp_path, monkeypatch):
    """A large state's packets are written by a pool of spawned processes, a small state's in the
    run's own process: both give the same workbooks and pages."""
    data, folder = certified
    written = {}
    for per_process in (tables.PACKETS_PER_PROCESS, 1):  # the sample's two recipients: in process, then two workers
        monkeypatch.setattr(tables, "PACKETS_PER_PROCESS", per_process)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
        packets = tables.export(ReportSource(data, 2025, folder), ["packets"]) / "packets"
        written[per_process] = shutil.copytree(packets, tmp_path / str(per_process))
    in_process, spawned = written.values()
    assert sorted(p.name for p in spawned.iterdir()) == sorted(p.name for p in in_process.iterdir()) != []
    for packet in in_process.iterdir():
        assert (packet / "index.html").read_text() == (spawned / packet.name / "index.html").read_text()
        sheets = {side: pl.read_excel(side / packet.name / "packet.xlsx", sheet_id=0) for side in written.values()}
        assert sheets[in_process].keys() == sheets[spawned].keys()
        assert all(sheets[in_process][name].equals(sheets[spawned][name]) for name in sheets[in_process])


def test_exports_car_public_and_packets(certified):
    data, folder = certified
    result = ctesnap(data, "export", "--year", "2024-25")  # the latest snapshot by default
    assert result.returncode == 0, result.stderr
    exports = Path(result.stdout.strip())
    assert exports == data.root / "exports" / "2024-25" / "2025-12-05"
    with duckdb.connect() as con:
        cells = con.sql(f"select * from read_parquet('{folder}/perkins_indicators.parquet')").pl()
        students = con.sql(f"select student_id, recipient_id from read_parquet('{folder}/students.parquet')").pl()
        rejected = con.sql("select student_id, recipient_id from "
                           f"read_parquet('{folder}/records_not_added.parquet')").pl()

    # CAR: unsuppressed, marked on every sheet and file; read back with calamine (not xlsxwriter).
    workbook = exports / "car" / "car_secondary_2024-25.xlsx"
    sheets = pl.read_excel(workbook, sheet_id=0, has_header=False)
    assert set(sheets) == {"enrollment", "1S1", "1S2", "GRAD_EXIT", "2S1", "2S2", "2S3", "3S1", "4S1", "5S1", "5S2",
                           "5S3"}
    for name, sheet in sheets.items():
        assert sheet.row(0)[0] == ("unsuppressed counts for federal submission - not for publication"
                                   " - certification 1 of 2025-12-05"), name
        assert (exports / "car" / f"{name}.csv").read_text().splitlines()[0] == sheet.row(0)[0]
    car_3s1 = pl.read_csv(exports / "car" / "3S1.csv", skip_rows=1)
    state = cells.filter((pl.col("level") == "state") & (pl.col("indicator") == "3S1")
                         & (pl.col("group_type") != "placement_source"))
    assert car_3s1["numerator"].sum() == state["numerator_unsuppressed"].sum()
    assert state["suppressed"].any()  # so the CAR really carries counts the public table hides

    # Public: suppressed cells have no numerator or rate, and no unsuppressed column at all.
    public = pl.read_csv(exports / "public" / "perkins_indicators.csv", infer_schema_length=0)
    assert "numerator_unsuppressed" not in public.columns
    hidden = public.filter(pl.col("suppressed") == "true")
    assert hidden.height and hidden["numerator"].null_count() == hidden.height
    assert pl.read_excel(exports / "public" / "perkins_indicators.xlsx").height == public.height

    # Packets: one per recipient; nothing of another recipient in any of its files.
    recipients = set(students["recipient_id"]) | set(rejected["recipient_id"].drop_nulls())
    assert {p.name for p in (exports / "packets").iterdir()} == recipients
    all_ids = set(students["student_id"]) | set(rejected["student_id"].drop_nulls())
    for recipient in recipients:
        own = set(students.filter(pl.col("recipient_id") == recipient)["student_id"]) \
            | set(rejected.filter(pl.col("recipient_id") == recipient)["student_id"].drop_nulls())
        packet = exports / "packets" / recipient
        html = (packet / "index.html").read_text()
        tables = pl.read_excel(packet / "packet.xlsx", sheet_id=0, infer_schema_length=0)
        shown = {v for t in tables.values() if "student_id" in t.columns for v in t["student_id"].drop_nulls()}
        assert shown <= own, recipient
        assert not {s for s in all_ids - own if f">{s}<" in html}, recipient
    # SPEC 6 (version 3): every placement type has a cell at every level, a zero a result like any other.
    zero = cells.filter((pl.col("level") == "recipient") & (pl.col("indicator") == "3S1")
                        & (pl.col("group_type") == "placement_type") & (pl.col("numerator") == 0))
    assert zero.height, "the sample has a recipient with no one placed in some type (service, military)"
    for group_type, values in {"placement_type": 4, "placement_source": 5}.items():
        split = cells.filter((pl.col("indicator") == "3S1") & (pl.col("group_type") == group_type))
        assert set(split.group_by("level", "recipient_id").len()["len"]) == {values}, group_type
    none = pl.read_excel(exports / "packets" / zero["recipient_id"][0] / "packet.xlsx", sheet_name="indicators") \
        .filter((pl.col("indicator") == "3S1") & (pl.col("group_type") == "placement_type")
                & (pl.col("group_value") == zero["group_value"][0]))
    assert none.height == 1 and none["denominator"][0] == zero["denominator"][0]
    assert none["numerator"][0] == 0
    per_recipient = cells.filter((pl.col("level") == "recipient") & (pl.col("group_type") == "all")) \
        .group_by("indicator").agg(pl.col("denominator").sum())
    per_state = cells.filter((pl.col("level") == "state") & (pl.col("group_type") == "all")) \
        .select("indicator", "denominator")
    assert per_recipient.sort("indicator").equals(per_state.sort("indicator"))


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is installed by dev.sh test")
def test_packet_renders_in_a_real_browser(certified, tmp_path):
    data, _ = certified
    assert ctesnap(data, "export", "--year", "2024-25", "--only", "packets").returncode == 0
    page = next((data.root / "exports" / "2024-25" / "2025-12-05" / "packets").glob("*/index.html"))
    dom = _browser_dom(page, tmp_path)
    assert "Where you stand against your performance levels" in dom
    assert "improvement plan required" in dom or "meets the level" in dom
    assert "Students by school" in dom
