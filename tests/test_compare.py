"""Scenarios (SPEC 13): two profiles side by side equal two certifications made separately and
change nothing; proposed levels against hand-built certified years; bad input refused in one line."""

import hashlib
from pathlib import Path

import polars as pl
import pytest

from pipeline.core.paths import DataDir
from tests.conftest import ctesnap

KEY = ["level", "recipient_id", "indicator"]


def _hashes(root: Path) -> dict[str, str]:
    folders = [root / name for name in ("warehouse", "snapshots", "logs", "raw")]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def _certified(folder: Path) -> tuple[dict[tuple, tuple], dict[tuple, tuple]]:
    """The `all` cells (real numerator, denominator) and the status rows of a certification."""
    cells = pl.read_parquet(folder / "perkins_indicators.parquet").filter(pl.col("group_type") == "all")
    status = pl.read_parquet(folder / "performance_status.parquet")
    return ({tuple(r[:3]): tuple(r[3:]) for r in cells.select(*KEY, "numerator_unsuppressed", "denominator")
             .iter_rows()},
            {tuple(r[:3]): tuple(r[3:]) for r in status.select(*KEY, "performance_level", "meets_level",
                                                                "below_90_percent").iter_rows()})


def test_two_profiles_equal_two_certifications_and_change_nothing(generated):
    folders = generated.snapshots(("csv", "federal"), ("csv", "az"))
    data = generated.certified_data("csv", "federal")  # a current view and a snapshot to leave alone
    before = _hashes(data.root)
    result = ctesnap(data, "compare", "--year", "2024-25", "--profiles", "federal,az")
    assert result.returncode == 0, result.stderr
    assert _hashes(data.root) == before
    assert not list(data.root.glob(".compare-*"))
    out = data.root / "exports" / "2024-25" / "compare" / "federal-vs-az"
    assert sorted(p.name for p in out.iterdir()) == ["impact.csv", "impact.xlsx", "index.html", "summary.csv"]
    impact = pl.read_csv(out / "impact.csv", infer_schema_length=0, schema_overrides={"recipient_id": pl.String})
    for side, profile in (("a", "federal"), ("b", "az")):
        cells, status = _certified(folders["csv", profile])
        shown = {(r["level"], r["recipient_id"], r["indicator"]): r for r in impact.to_dicts()
                 if r[f"denominator_{side}"] is not None}
        assert set(shown) == set(cells)
        for key, (numerator, denominator) in cells.items():
            row = shown[key]
            assert (int(row[f"numerator_{side}"]), int(row[f"denominator_{side}"])) == (numerator, denominator), key
            expected = status.get(key)
            got = None if row[f"meets_level_{side}"] is None else (
                float(row["performance_level"]), row[f"meets_level_{side}"] == "true",
                row[f"below_90_percent_{side}"] == "true")
            assert got == (None if expected is None else (float(expected[0]), expected[1], expected[2])), key
    changed = impact.filter(pl.col("status_changed") == "Y")
    assert changed.height == impact.filter(
        pl.col("below_90_percent_a").fill_null("false") != pl.col("below_90_percent_b").fill_null("false")).height
    page = (out / "index.html").read_text()
    assert page.count("not for publication") >= 2 and page.count("<svg") >= 3


# Hand-built certified years for the proposed-levels mode: only the two tables it reads.
# recipient: (numerator, denominator) of 3S1 each year; current levels 40 (2023: 60).
CELLS = {"R1": (45, 100), "R2": (44, 100)}
CURRENT = {2023: 60.0, 2024: 40.0, 2025: 40.0}


def _write_certified_year(data: DataDir, year: int) -> None:
    folder = data.snapshots(year) / f"{year}-12-05"
    folder.mkdir(parents=True)
    rows = [("state", None, 89, 200)] + [("recipient", r, n, d) for r, (n, d) in CELLS.items()]
    pl.DataFrame([{"school_year": year, "level": lv, "recipient_id": r, "indicator": "3S1", "group_type": "all",
                   "group_value": "all", "numerator": n, "denominator": d, "rate": round(100 * n / d, 2),
                   "suppressed": False, "primary_suppressed": False, "numerator_unsuppressed": n}
                  for lv, r, n, d in rows]).write_parquet(folder / "perkins_indicators.parquet")
    level = CURRENT[year]
    pl.DataFrame([{"school_year": year, "level": lv, "recipient_id": r, "recipient_name": r, "indicator": "3S1",
                   "numerator": n, "denominator": d, "rate": round(100 * n / d, 2), "performance_level": level,
                   "level_source": "state", "meets_level": 100 * n >= level * d,
                   "below_90_percent": 100 * n < 0.9 * level * d, "consecutive_years_below_90": 0,
                   "improvement_plan_required": 100 * n < 0.9 * level * d, "funds_at_risk": False,
                   "small_denominator": False} for lv, r, n, d in rows]
                 ).write_parquet(folder / "performance_status.parquet")


@pytest.fixture
def certified_years(tmp_path: Path) -> DataDir:
    data = DataDir(tmp_path / "data")
    for year in CURRENT:
        data.raw_year(year).mkdir(parents=True)
        _write_certified_year(data, year)
    return data


def _levels(path: Path, rows: list[str]) -> Path:
    path.write_text("school_year,indicator,recipient_id,level\n" + "\n".join(rows) + "\n")
    return path


def test_proposed_levels_exactly_90_percent_is_not_below_and_three_years_put_funds_at_risk(certified_years,
                                                                                           tmp_path):
    # 2023-24 and 2024-25 proposed at 50: R1 (45%) is exactly 90 percent of it, R2 (44%) below. 2022-23 is
    # not in the file: its certified status counts (R1 and R2 below 90 percent of 60 then).
    proposal = _levels(tmp_path / "proposal.csv", ["2023-24,3S1,,50", "2024-25,3S1,,50"])
    result = ctesnap(certified_years, "compare", "--year", "2024-25", "--levels", str(proposal))
    assert result.returncode == 0, result.stderr
    out = certified_years.root / "exports" / "2024-25" / "compare" / "levels-proposal"
    impact = {(r["school_year"], r["recipient_id"]): r for r in
              pl.read_csv(out / "impact.csv", infer_schema_length=0).to_dicts() if r["level"] == "recipient"}
    assert set(impact) == {(y, r) for y in ("2023-24", "2024-25") for r in CELLS}
    r1, r2 = impact["2024-25", "R1"], impact["2024-25", "R2"]
    assert (r1["below_90_percent_proposed"], r1["meets_level_proposed"]) == ("false", "false")
    assert (r2["below_90_percent_proposed"], r2["below_90_percent_current"]) == ("true", "false")
    assert (r2["consecutive_years_below_90_proposed"], r2["funds_at_risk_proposed"]) == ("3", "true")
    assert (r2["funds_at_risk_current"], r2["status_changed"]) == ("false", "Y")
    assert (r1["consecutive_years_below_90_proposed"], r1["funds_at_risk_proposed"]) == ("0", "false")
    summary = pl.read_csv(out / "summary.csv", infer_schema_length=0)
    assert summary.filter(pl.col("school_year") == "2024-25").row(0) == ("2024-25", "3S1", "0", "1")
    assert "not for publication" in (out / "index.html").read_text()


@pytest.mark.parametrize(("args", "rows", "message"), [
    (["--profiles", "federal,tx"], None, "unknown profile 'tx'"),
    (["--profiles", "az,az"], None, "names the same profile twice"),
    (["--levels"], ["2024-25,9S9,,50"], "proposal.csv row 2: indicator '9S9' is not one of"),
    (["--levels"], ["2024-25,3S1,,140"], "proposal.csv row 2: level '140' is not a number from 0 to 100"),
    (["--levels"], ["2019-20,3S1,,50"], "names 2019-20, and none of them has a certification"),
])
def test_a_comparison_that_cannot_be_made_says_why_in_one_line_and_writes_nothing(certified_years, tmp_path,
                                                                                   args, rows, message):
    if rows is not None:
        args = [*args, str(_levels(tmp_path / "proposal.csv", rows))]
    before = sorted(p.relative_to(certified_years.root).as_posix() for p in certified_years.root.rglob("*"))
    result = ctesnap(certified_years, "compare", "--year", "2024-25", *args)
    assert result.returncode != 0
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert sorted(p.relative_to(certified_years.root).as_posix() for p in certified_years.root.rglob("*")) == before
