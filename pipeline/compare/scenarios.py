"""Scenarios (docs/commands.md#ctesnap-compare): a year under two rule profiles, or certified years against proposed
performance levels, side by side per recipient. For state staff: unsuppressed, not for publication.

Two profiles are computed by the same dbt models a certification runs, in a scratch copy of the
data directory (hard links of raw/ and of the snapshots, removed afterwards), while the run lock is
held: the current view, the staged data, the snapshots and the logs are never touched.
"""

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import polars as pl
from matplotlib.ticker import MaxNLocator

from pipeline.core import certification
from pipeline.core.paths import DataDir
from pipeline.core.resources import CtesnapSettings, dbt_environment, run_lock
from pipeline.core.workbooks import write_csv, write_workbook
from pipeline.core.years import label, parse_year
from pipeline.exports.report import indicator_definitions, neutralise_formulas, render, svg_of
from pipeline.ingest.certified import write_certified_history
from pipeline.ingest.input_files import ExtractError
from pipeline.ingest.read import ensure_history, ingest_reference, ingest_year, read_and_validate
from pipeline.ingest.schema import REFERENCES
from pipeline.rules.dbt_project import dbt_resource, with_last_parse

NOT_FOR_PUBLICATION = "comparison for state staff - not for publication"


class CompareError(Exception):
    """A comparison that cannot be made; one line for the user."""


def _mirror(source: Path, target: Path) -> None:
    """Every file below `source` hard-linked under `target` (one file system: nothing is copied)."""
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)


@contextlib.contextmanager
def _scratch(data: DataDir) -> Iterator[DataDir]:
    """A data directory of its own under DIR, holding the same extracts and snapshots; removed after.
    Called with the run lock held."""
    for stale in data.root.glob(".compare-*"):  # a comparison killed earlier (the run lock is held)
        shutil.rmtree(stale, ignore_errors=True)
    root = data.root / f".compare-{os.getpid()}"
    try:
        _mirror(data.raw, root / "raw")
        if (data.root / "snapshots").is_dir():
            _mirror(data.root / "snapshots", root / "snapshots")
        yield DataDir(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _compute(scratch: DataDir, year: int, profile: str, threshold: int | None) -> Path:
    """The year's tables under a profile, by the dbt models a certification runs; their DuckDB file."""
    warehouse = scratch.root / profile / "ctesnap.duckdb"  # named as every warehouse file (profiles.yml)
    warehouse.parent.mkdir(parents=True)
    settings = CtesnapSettings(data_dir=str(scratch.root), profile=profile, suppression_threshold=threshold)
    log = scratch.root / f"dbt-{profile}.log"
    with log.open("w") as handle, contextlib.redirect_stdout(handle), \
            dbt_environment(settings.dbt_parameters(label(year), warehouse)):
        invocation = dbt_resource().cli(
            ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
            target_path=with_last_parse(scratch.root / f"dbt-{profile}"), raise_on_error=False)
        invocation.wait()
    if not invocation.is_successful():
        raise CompareError(f"the {profile} computation failed: {invocation.get_error() or 'see dbt'}")
    return warehouse


IMPACT_SQL = """
with cells as (
    select side, level, recipient_id, indicator, numerator_unsuppressed as numerator, denominator
    from (select 'a' as side, * from a.perkins_indicators union all select 'b', * from b.perkins_indicators)
    where group_type = 'all'
),
status as (
    select 'a' as side, * from a.performance_status union all select 'b', * from b.performance_status
),
names as (
    select recipient_id, any_value(recipient_name) as recipient_name
    from (select recipient_id, recipient_name from status
          union all select recipient_id, recipient_name from a.stg_reference__recipients)
    group by recipient_id
),
joined as (
    select coalesce(x.level, y.level) as level, coalesce(x.recipient_id, y.recipient_id) as recipient_id,
           coalesce(x.indicator, y.indicator) as indicator,
           x.numerator as numerator_a, x.denominator as denominator_a, y.numerator as numerator_b,
           y.denominator as denominator_b
    from (select * from cells where side = 'a') as x
    full outer join (select * from cells where side = 'b') as y
        on x.level = y.level and x.recipient_id is not distinct from y.recipient_id and x.indicator = y.indicator
)
select joined.level, joined.recipient_id,
       case when joined.level = 'recipient' then coalesce(names.recipient_name, joined.recipient_id) end
           as recipient_name,
       joined.indicator, numerator_a, denominator_a,
       case when denominator_a > 0 then round(100.0 * numerator_a / denominator_a, 2) end as rate_a,
       numerator_b, denominator_b,
       case when denominator_b > 0 then round(100.0 * numerator_b / denominator_b, 2) end as rate_b,
       case when denominator_a > 0 and denominator_b > 0
            then round(100.0 * numerator_b / denominator_b - 100.0 * numerator_a / denominator_a, 2) end as change,
       cast(coalesce(sa.performance_level, sb.performance_level) as double) as performance_level,
       sa.meets_level as meets_level_a, sb.meets_level as meets_level_b,
       sa.below_90_percent as below_90_percent_a, sb.below_90_percent as below_90_percent_b,
       case when coalesce(sa.below_90_percent, false) <> coalesce(sb.below_90_percent, false) then 'Y' else 'N' end
           as status_changed
from joined
left join names on joined.recipient_id = names.recipient_id
left join status as sa
    on sa.side = 'a' and sa.level = joined.level and sa.recipient_id is not distinct from joined.recipient_id
    and sa.indicator = joined.indicator
left join status as sb
    on sb.side = 'b' and sb.level = joined.level and sb.recipient_id is not distinct from joined.recipient_id
    and sb.indicator = joined.indicator
order by joined.level desc, joined.recipient_id nulls first, joined.indicator"""


def _summary(impact: pl.DataFrame, order: list[str]) -> pl.DataFrame:
    """Per indicator: the state rate and the recipients evaluated and below 90 percent under each
    side; a side with no status row counts as not below."""
    recipients = impact.filter(pl.col("level") == "recipient")
    below_a, below_b = (pl.col(f"below_90_percent_{s}").fill_null(False) for s in ("a", "b"))
    per_recipient = recipients.group_by("indicator").agg(
        pl.col("below_90_percent_a").is_not_null().sum().alias("evaluated_a"),
        pl.col("below_90_percent_b").is_not_null().sum().alias("evaluated_b"),
        below_a.sum().alias("below_90_percent_a"), below_b.sum().alias("below_90_percent_b"),
        (below_b & ~below_a).sum().alias("newly_below_b"), (below_a & ~below_b).sum().alias("no_longer_below_b"))
    state = impact.filter(pl.col("level") == "state").select(
        "indicator", pl.col("rate_a").alias("state_rate_a"), pl.col("rate_b").alias("state_rate_b"))
    return (state.join(per_recipient, on="indicator", how="full", coalesce=True)
            .with_columns(pl.col(pl.UInt32).fill_null(0))
            .sort(pl.col("indicator").replace_strict(order, list(range(len(order))), default=len(order))))


def _bars(title: str, labels: list[str], series: dict[str, list[int]]) -> str:
    """Grouped bars: recipients below 90 percent per label, one bar per side."""
    figure, axes = plt.subplots(figsize=(max(4, 0.9 * len(labels) + 2), 2.6))
    width = 0.8 / max(len(series), 1)
    for index, (name, values) in enumerate(series.items()):
        axes.bar([i + index * width for i in range(len(labels))], values, width, label=name)
    axes.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(labels))], labels)
    axes.set_title(title, fontsize=10)
    axes.set_ylabel("recipients below 90%")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([1, *(v for values in series.values() for v in values)]) * 1.15)
    axes.legend(fontsize=8)
    return svg_of(figure)


def _publish(folder: Path, files: dict[str, Callable[[Path], None]]) -> Path:
    """Write every file into a folder beside the target, then swap it in whole."""
    staging = folder.with_name(f".{folder.name}-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, write in files.items():
        write(staging / name)
    old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder


def check_profiles(profiles: list[str], known: list[str]) -> None:
    unknown = [p for p in profiles if p not in known]
    if len(profiles) != 2 or unknown:
        shown = f"unknown profile '{unknown[0]}'" if unknown else f"--profiles {','.join(profiles)}"
        raise CompareError(f"{shown}: name two of {', '.join(known)}, as A,B")
    if profiles[0] == profiles[1]:
        raise CompareError(f"--profiles {profiles[0]},{profiles[1]} names the same profile twice: name two")


def compare_profiles(data: DataDir, year: int, a: str, b: str, threshold: int | None,
                     notify: Callable[[str], None]) -> Path:
    """impact.csv|xlsx, summary.csv and index.html of the year under profile A and profile B."""
    if not data.raw_year(year).is_dir():
        raise CompareError(f"raw/{label(year)}: no such folder of extracts under {data.root}")
    with run_lock(data, f"{label(year)} compare", notify), _scratch(data) as scratch:
        notify(f"reading the extracts of {label(year)}")
        try:
            ingest_reference(scratch)
            ensure_history(scratch, year)
            ingest_year(scratch, year)
        except ExtractError as error:
            raise CompareError(str(error)) from None
        write_certified_history(scratch, year)
        warehouses = {}
        for profile in (a, b):
            notify(f"computing {label(year)} under the {profile} profile")
            warehouses[profile] = _compute(scratch, year, profile, threshold)
        with duckdb.connect() as con:
            for side, profile in (("a", a), ("b", b)):
                con.execute(f"attach '{warehouses[profile]}' as {side} (read_only)")
            impact = con.sql(IMPACT_SQL).pl()
    definitions = indicator_definitions()
    summary = _summary(impact, list(definitions))
    changed = impact.filter((pl.col("status_changed") == "Y") & (pl.col("level") == "recipient"))
    charts = {row["indicator"]: _bars(row["indicator"], [a, b], {"below 90%": [row["below_90_percent_a"],
                                                                               row["below_90_percent_b"]]})
              for row in summary.iter_rows(named=True) if row["evaluated_a"] or row["evaluated_b"]}
    page = render("compare.html.j2", {
        "title": f"{label(year)}: the {a} profile (A) against the {b} profile (B)", "mode": "profiles",
        "marking": NOT_FOR_PUBLICATION, "summary": summary.to_dicts(), "changed": changed.to_dicts(),
        "charts": charts, "definitions": definitions, "a": a, "b": b})
    safe = neutralise_formulas(impact)
    return _publish(data.root / "exports" / label(year) / "compare" / f"{a}-vs-{b}", {
        "impact.csv": lambda path: write_csv(path, safe),
        "impact.xlsx": lambda path: write_workbook(path, {"impact": safe}, NOT_FOR_PUBLICATION),
        "summary.csv": lambda path: write_csv(path, summary),
        "index.html": lambda path: path.write_text(page),
    })


# --- proposed performance levels ---------------------------------------------------------------

def read_levels(data: DataDir, path: Path) -> pl.DataFrame:
    """A proposed-levels file in the form of reference/performance_levels.csv; a row that does not
    hold stops with one line naming file, row and problem."""
    if not path.is_file():
        raise CompareError(f"{path}: no such levels file")
    try:
        loaded, rejected, _ = read_and_validate(path.resolve(), REFERENCES["performance_levels"], path.resolve().parent)
    except ExtractError as error:
        raise CompareError(str(error)) from None
    if rejected.height:
        first = rejected.row(0, named=True)
        raise CompareError(f"{path.name} row {first['row_number']}: {first['reason']}")
    try:
        years = [parse_year(value) for value in loaded["school_year"]]
    except ValueError as error:
        raise CompareError(f"{path.name}: {error}") from None
    return loaded.with_columns(pl.Series("year", years, pl.Int32), pl.col("recipient_id").fill_null(""))


def _certified_cells(data: DataDir, year: int) -> pl.DataFrame | None:
    """The `all` cells of the year's certification in force with its status, or None."""
    folder = certification.in_force_folder(data, year)
    if folder is None:
        return None
    with duckdb.connect() as con:
        return con.sql(f"""
            select {year} as year, cells.level, coalesce(cells.recipient_id, '') as recipient_id, cells.indicator,
                   cells.numerator_unsuppressed as numerator, cells.denominator,
                   round(100.0 * cells.numerator_unsuppressed / cells.denominator, 2) as rate,
                   cast(status.performance_level as double) as current_level, status.meets_level as meets_level_current,
                   status.below_90_percent as below_90_percent_current,
                   status.consecutive_years_below_90 as consecutive_years_below_90_current,
                   status.funds_at_risk as funds_at_risk_current
            from read_parquet('{folder / 'perkins_indicators.parquet'}') as cells
            left join read_parquet('{folder / 'performance_status.parquet'}') as status
                on status.level = cells.level and status.recipient_id is not distinct from cells.recipient_id
                and status.indicator = cells.indicator
            where cells.group_type = 'all' and cells.denominator > 0
              and cells.indicator not in ('PARTICIPANTS', 'CONCENTRATORS')""").pl()


def _with_proposed(cells: pl.DataFrame, levels: pl.DataFrame) -> pl.DataFrame:
    """A recipient's proposed local level, else the proposed state level (none: no status)."""
    local = levels.filter(pl.col("recipient_id") != "").select(
        "year", "indicator", "recipient_id", pl.col("level").alias("local"))
    state = levels.filter(pl.col("recipient_id") == "").select("year", "indicator", pl.col("level").alias("state"))
    proposed = cells.join(local, on=["year", "indicator", "recipient_id"], how="left") \
        .join(state, on=["year", "indicator"], how="left") \
        .with_columns(pl.when(pl.col("level") == "state").then(pl.col("state"))
                      .otherwise(pl.coalesce("local", "state")).alias("proposed_level")).drop("local", "state")
    exact = pl.col("numerator") * 100
    return proposed.with_columns(
        pl.when(pl.col("proposed_level").is_not_null())
        .then(exact >= pl.col("proposed_level") * pl.col("denominator")).alias("meets_level_proposed"),
        pl.when(pl.col("proposed_level").is_not_null())
        .then(exact < 0.9 * pl.col("proposed_level") * pl.col("denominator")).alias("below_90_percent_proposed"))


def _consecutive(rows: pl.DataFrame, years_named: set[int]) -> pl.DataFrame:
    """Consecutive years below 90 percent under the proposal: each named year by the proposal, a year
    FILE does not name by its certified status; a year without a certification ends the count."""
    below = {(r["year"], r["level"], r["recipient_id"], r["indicator"]):
             (r["below_90_percent_proposed"] if r["year"] in years_named else r["below_90_percent_current"])
             for r in rows.iter_rows(named=True)}
    counts = []
    for r in rows.iter_rows(named=True):
        count, year = 0, r["year"]
        while below.get((year, r["level"], r["recipient_id"], r["indicator"])):
            count, year = count + 1, year - 1
        counts.append(count if r["below_90_percent_proposed"] is not None else None)
    return rows.with_columns(pl.Series("consecutive_years_below_90_proposed", counts, pl.Int64)).with_columns(
        (pl.col("consecutive_years_below_90_proposed") >= 3).alias("funds_at_risk_proposed"))


def compare_levels(data: DataDir, year: int, levels_file: Path) -> Path:
    """Proposed levels against every certified year up to Y that the file names (docs/commands.md#ctesnap-compare)."""
    levels = read_levels(data, levels_file)
    named = sorted({y for y in levels["year"].to_list() if y <= year})
    # Certified snapshots never change, and the log is replaced whole: no lock is needed to read them.
    certified = {y: cells for y in sorted(set(data.raw_years() + named)) if y <= year
                 if (cells := _certified_cells(data, y)) is not None}
    evaluated = [y for y in named if y in certified]
    if not evaluated:
        shown = ", ".join(label(y) for y in named) or "no school year up to " + label(year)
        raise CompareError(f"{levels_file.name} names {shown}, and none of them has a certification")
    rows = _with_proposed(pl.concat(list(certified.values()), how="vertical_relaxed"), levels)
    rows = _consecutive(rows, set(evaluated)).filter(pl.col("year").is_in(evaluated))
    impact = rows.select(
        pl.col("year").map_elements(label, return_dtype=pl.String).alias("school_year"), "level",
        pl.when(pl.col("recipient_id") != "").then(pl.col("recipient_id")).alias("recipient_id"), "indicator", "rate",
        "current_level", "proposed_level", "meets_level_current", "meets_level_proposed", "below_90_percent_current",
        "below_90_percent_proposed", "consecutive_years_below_90_current", "consecutive_years_below_90_proposed",
        "funds_at_risk_current", "funds_at_risk_proposed",
        pl.when(pl.col("below_90_percent_current").fill_null(False)
                != pl.col("below_90_percent_proposed").fill_null(False)).then(pl.lit("Y")).otherwise(pl.lit("N"))
        .alias("status_changed"),
    ).sort("school_year", pl.col("level"), "recipient_id", "indicator", descending=[False, True, False, False],
           nulls_last=False)
    recipients = impact.filter(pl.col("level") == "recipient")
    summary = recipients.group_by("school_year", "indicator").agg(
        pl.col("below_90_percent_current").fill_null(False).sum().alias("below_90_percent_current"),
        pl.col("below_90_percent_proposed").fill_null(False).sum().alias("below_90_percent_proposed"),
    ).sort("school_year", "indicator")
    charts = {}
    for indicator in summary["indicator"].unique().sort():
        part = summary.filter(pl.col("indicator") == indicator)
        charts[indicator] = _bars(indicator, part["school_year"].to_list(), {
            "current levels": part["below_90_percent_current"].to_list(),
            "proposed levels": part["below_90_percent_proposed"].to_list()})
    page = render("compare.html.j2", {
        "title": f"Proposed levels of {levels_file.name} against the certified years", "mode": "levels",
        "marking": NOT_FOR_PUBLICATION, "summary": summary.to_dicts(),
        "changed": recipients.filter(pl.col("status_changed") == "Y").to_dicts(), "charts": charts,
        "definitions": indicator_definitions()})
    safe = neutralise_formulas(impact)
    return _publish(data.root / "exports" / label(year) / "compare" / f"levels-{levels_file.stem}", {
        "impact.csv": lambda path: write_csv(path, safe),
        "summary.csv": lambda path: write_csv(path, summary),
        "index.html": lambda path: path.write_text(page),
    })

