"""Amendments (SPEC 12): a certified year certified again with a reason and an approver, on the
hash-chained log; errata and re-issued packets; refusals that write nothing; verify and history."""

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from pipeline.core.certification import LOG
from pipeline.core.paths import DataDir
from tests.conftest import CTESNAP, copy_of_sample, ctesnap
from tests.test_cli import CHROMIUM, _browser_dom

YEAR, FIRST, AMENDED = 2025, "2025-12-05", "2025-12-20"
CORRECTED = "1001"  # the district whose corrected exits the amendment takes in


def _everything(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the data dir with its size and modification time."""
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


def _correct_exits(data: DataDir) -> None:
    """District 1001 finds five graduates it reported as dropouts: their exits are corrected."""
    exits = data.raw_year(YEAR) / "exits.xlsx"
    frame = pl.read_excel(exits, infer_schema_length=0).with_row_index("n")
    graduates = frame.filter((pl.col("district_id") == CORRECTED) & (pl.col("exit_code") == "G"))["n"][:5]
    frame.with_columns(pl.when(pl.col("n").is_in(graduates.implode())).then(pl.lit("W5"))
                       .otherwise(pl.col("exit_code")).alias("exit_code")).drop("n").write_excel(exits)


@pytest.fixture(scope="module")
def amended(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    """The sample certified, district 1001's exits corrected, an amendment killed while it
    published, then the amendment made and exported."""
    data = copy_of_sample(tmp_path_factory.mktemp("amended"))
    assert ctesnap(data, "snapshot", "--year", "2024-25", "--date", FIRST).returncode == 0
    _correct_exits(data)
    before = (sorted(p.name for p in data.snapshots(YEAR).iterdir()), (data.snapshots(YEAR) / LOG).read_bytes())
    amend = [CTESNAP, "--data-dir", str(data.root), "snapshot", "--year", "2024-25", "--date", AMENDED,
             "--reason", "District 1001 corrected five exit codes", "--approved-by", "State CTE director",
             "--requested-by", CORRECTED]
    killed = subprocess.run(amend, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "CTESNAP_CRASH_AT": "owed"})
    assert killed.returncode == -9, killed.stderr
    assert (sorted(p.name for p in data.snapshots(YEAR).iterdir()), (data.snapshots(YEAR) / LOG).read_bytes()) \
        == before  # killed before the publish: the log and the folders are as they were
    result = subprocess.run(amend, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "certification 2, superseding 2025-12-05" in result.stdout
    assert ctesnap(data, "export", "--year", "2024-25").returncode == 0
    return data


def _cells(folder: Path) -> dict[tuple, tuple]:
    """Every indicator cell and status row of a snapshot, by key, with what the errata compare."""
    cells = pl.read_parquet(folder / "perkins_indicators.parquet")
    status = pl.read_parquet(folder / "performance_status.parquet")
    found = {("cell", *r[:5]): r[5:] for r in cells.select(
        "level", "recipient_id", "indicator", "group_type", "group_value", "numerator_unsuppressed", "denominator",
        "suppressed").iter_rows()}
    found |= {("status", *r[:3]): r[3:] for r in status.select(
        "level", "recipient_id", "indicator", "numerator", "denominator", "meets_level", "below_90_percent",
        "improvement_plan_required", "funds_at_risk").iter_rows()}
    return found


def test_the_log_chains_both_certifications_and_history_lists_them(amended):
    lines = [json.loads(line) for line in (amended.snapshots(YEAR) / LOG).read_text().splitlines()]
    assert [(e["number"], e["snapshot_date"], e["action"], e["supersedes"]) for e in lines] == [
        (1, FIRST, "certify", None), (2, AMENDED, "amend", FIRST)]
    assert lines[1]["reason"] == "District 1001 corrected five exit codes"
    assert lines[1]["approved_by"] == "State CTE director" and lines[1]["requested_by"] == [CORRECTED]
    manifest = json.loads((amended.snapshots(YEAR) / AMENDED / "manifest.json").read_text())
    assert manifest["certification"]["number"] == 2 and manifest["certification"]["supersedes"] == FIRST
    verified = ctesnap(amended, "verify", str(amended.snapshots(YEAR)))
    assert verified.returncode == 0, verified.stderr
    history = ctesnap(amended, "history", "--year", "2024-25")
    assert history.returncode == 0, history.stderr
    assert "in force" in history.stdout and "superseded" in history.stdout and "NOT VERIFIED" not in history.stdout


def test_the_correction_changes_its_recipient_and_no_other(amended):
    first, second = _cells(amended.snapshots(YEAR) / FIRST), _cells(amended.snapshots(YEAR) / AMENDED)
    changed = {key[2] for key in first.keys() | second.keys() if first.get(key) != second.get(key)}
    assert changed == {None, CORRECTED}  # the state level and the corrected district's recipient
    errata = amended.root / "exports" / "2024-25" / AMENDED / "errata"
    with (errata / "recipients_changed.csv").open() as handle:
        listed = {row["recipient_id"]: row for row in csv.DictReader(handle)}
    assert set(listed) == changed - {None}
    rows = pl.read_csv(errata / "changes.csv", skip_rows=1, infer_schema_length=0)
    assert (errata / "changes.csv").read_text().startswith("unsuppressed counts for federal submission")
    assert int(listed[CORRECTED]["cells_changed"]) == rows.filter(pl.col("recipient_id") == CORRECTED).height
    assert rows.filter(pl.col("table") == "perkins_indicators").height == sum(
        1 for key in first.keys() | second.keys() if key[0] == "cell" and first.get(key) != second.get(key))
    assert (errata / "changes.xlsx").is_file() and (errata / "public_changes.csv").is_file()
    car = (amended.root / "exports" / "2024-25" / AMENDED / "car" / "3S1.csv").read_text().splitlines()[0]
    assert car.endswith("certification 2 of 2025-12-20, superseding 2025-12-05")


def test_the_public_errata_never_undo_suppression(amended):
    errata = amended.root / "exports" / "2024-25" / AMENDED / "errata"
    public = pl.read_csv(errata / "public_changes.csv", infer_schema_length=0)
    for side in ("before", "after"):
        hidden = public.filter(pl.col(f"suppressed_{side}") == "true")
        assert hidden[f"numerator_{side}"].null_count() == hidden.height


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2025-12-21"], "an amendment needs --reason and --approved-by"),
    (["--date", "2025-12-21", "--reason", "late file"], "an amendment needs --approved-by"),
    (["--date", "2025-12-19", "--reason", "late file", "--approved-by", "director"],
     "--date 2025-12-19 is not after 2025-12-20"),
    (["--date", "2025-12-21", "--reason", "late file", "--approved-by", "director", "--profile", "az"],
     "an amendment uses the same profile"),
])
def test_an_amendment_that_may_not_be_made_is_refused_and_writes_nothing(amended, args, message):
    before = _everything(amended.root)
    result = ctesnap(amended, "snapshot", "--year", "2024-25", *args)
    assert result.returncode != 0
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert _everything(amended.root) == before


@pytest.mark.parametrize("tamper", ["changed", "removed", "reordered", "unlisted"])
def test_verify_fails_a_tampered_log_or_an_unlisted_folder_with_one_line(amended, tmp_path, tamper):
    copy = tmp_path / "2024-25"
    shutil.copytree(amended.snapshots(YEAR), copy)
    log = copy / LOG
    lines = log.read_text().splitlines()
    if tamper == "changed":
        lines[0] = lines[0].replace('"certify"', '"amend"')
    elif tamper == "removed":
        lines = lines[1:]
    elif tamper == "reordered":
        lines = lines[::-1]
    else:
        shutil.copytree(copy / FIRST, copy / "2025-12-30")
    log.write_text("\n".join(lines) + "\n")
    result = subprocess.run([CTESNAP, "verify", str(copy)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr
    expected = "2025-12-30 is not in certifications.jsonl" if tamper == "unlisted" else "line 1"
    assert expected in result.stderr


# Never skipped in CI: the README's test command installs Chromium, and a missing browser must fail there.
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is installed by dev.sh test")
def test_packets_of_a_changed_and_an_unchanged_recipient_in_a_browser(amended, tmp_path):
    packets = amended.root / "exports" / "2024-25" / AMENDED / "packets"
    changed = _browser_dom(packets / CORRECTED / "index.html", tmp_path)
    assert "certification 2 of 2025-12-20, superseding 2025-12-05" in changed
    assert "What this amendment changed for you" in changed and "GRAD_EXIT" in changed
    unchanged = _browser_dom(packets / "CTC01" / "index.html", tmp_path)
    assert "certification 2 of 2025-12-20" in unchanged
    assert "What this amendment changed for you" not in unchanged
    assert "suppressed (too few students)" in unchanged  # small groups folded, one line per group type
