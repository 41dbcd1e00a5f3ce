"""The `ctesnap` command line (docs/commands.md). Compute commands run the Dagster jobs, so every run is
recorded under the data directory and visible in the UI (DAGSTER_HOME=<data-dir>/dagster_home).

Commands import what they need when they run, so `verify` or `--help` start without loading
Dagster, dbt, Great Expectations or matplotlib."""

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.status import Status
from rich.table import Table

from pipeline.core.paths import SAMPLE_RAW_DIR, DataDir, default_data_dir, known_profiles
from pipeline.core.years import YearError, label, parse_range, parse_year, year_range

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class CtesnapError(click.ClickException):
    """A problem the user can act on: one line on stderr and a non-zero exit."""


def _data(ctx: click.Context) -> DataDir:
    return ctx.obj["data"]


def _compute_options(function: Any) -> Any:
    """--profile, --suppression-threshold, --engine and --verbose, taken by every command that computes."""
    function = click.option("--engine", type=click.Choice(["duckdb", "spark"]), envvar="CTESNAP_ENGINE",
                            default="duckdb", show_default=True, expose_value=False, is_eager=True,
                            callback=_check_engine, help="Where dbt runs the rules (env CTESNAP_ENGINE).")(function)
    function = click.option("--verbose", is_flag=True, default=False, expose_value=False, is_eager=True,
                            callback=_set_verbose, help="Print every message of the run, dbt's included.")(function)
    function = click.option("--suppression-threshold", type=click.IntRange(min=1), default=None,
                            help="Suppress indicator cells with a smaller denominator (default 10).")(function)
    return click.option("--profile", default="federal", show_default=True,
                        help="Rule profile: a row of dbt_project/seeds/rule_profiles.csv.")(function)


def _threshold(threshold: int | None) -> dict[str, Any]:
    """Run config setting the suppression threshold, when one is given."""
    if threshold is None:
        return {}
    return {"resources": {"ctesnap": {"config": {"suppression_threshold": threshold}}}}


def _check_engine(ctx: click.Context, _: click.Parameter, value: str) -> None:
    if value == "spark" and importlib.util.find_spec("pyspark") is None:
        raise CtesnapError("--engine spark: dbt-spark is not installed; install it with "
                           "pip install -e '.[spark]' (Java 17 is needed as well)")
    ctx.find_root().meta["engine"] = value


def _set_verbose(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    ctx.find_root().meta["verbose"] = ctx.find_root().meta.get("verbose", False) or value


def _year(text: str) -> int:
    try:
        return parse_year(text)
    except YearError as error:
        raise CtesnapError(str(error)) from None


def _set_data_dir(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    """--data-dir, before or after the command name; unset, env CTESNAP_DATA_DIR or ./data."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = {"data": DataDir(default_data_dir())}
    if value is not None:
        root.obj["data"] = DataDir(value.resolve())
    os.environ["CTESNAP_DATA_DIR"] = str(root.obj["data"].root)


def _data_dir_option() -> click.Option:
    return click.Option(["--data-dir"], type=click.Path(file_okay=False, path_type=Path), default=None,
                        expose_value=False, is_eager=True, callback=_set_data_dir,
                        help="Data directory (env CTESNAP_DATA_DIR, default ./data).")


class _Commands(click.Group):
    """Every command takes --data-dir, as the group does."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.insert(0, _data_dir_option())
        super().add_command(cmd, name)


@click.group(cls=_Commands, params=[_data_dir_option()])
def main() -> None:
    """Perkins V CTE accountability tables from state and district extracts."""




def _check_profile(profile: str) -> None:
    if profile not in known_profiles():
        raise CtesnapError(f"unknown profile '{profile}': choose one of {', '.join(known_profiles())}")


def _run(data: DataDir, job: str, year: int, profile: str, run_config: dict[str, Any]) -> str | None:
    """Execute a job for one school year; stop with one line if it fails. Returns why the year
    cannot be certified, if error expectations failed."""
    _check_profile(profile)
    if not data.raw_year(year).is_dir():
        raise CtesnapError(f"raw/{label(year)}: no such folder of extracts under {data.root}")
    # Said at once: loading Dagster, dbt and the checks takes seconds before the run's first step.
    console.print(f"{label(year)} {job} ({profile} profile): starting...", style="dim")
    from pipeline.runner import execute, run_log_path

    log_path = run_log_path(data, year, job)
    verbose = click.get_current_context().find_root().meta.get("verbose", False)
    with console.status(f"{label(year)} {job} ({profile} profile)...") as status:
        outcome = execute(data, job, year, profile, run_config, verbose=verbose, log_path=log_path,
                          engine=click.get_current_context().find_root().meta.get("engine", "duckdb"),
                          on_wait=lambda message: console.print(f"{label(year)} {job}: {message}"),
                          on_step=_step_reporter(job, status))
    console.print(f"{label(year)} {job}: full log {log_path}", style="dim")
    if outcome.failure:
        raise CtesnapError(f"{label(year)}: {outcome.failure} (full log: {log_path})")
    return outcome.blocked


def _step_reporter(job: str, status: Status) -> Callable[[str], None]:
    """The step under way: on a terminal in the spinner's line, elsewhere (a log, a pipe) one line a step."""
    if console.is_terminal:
        return lambda message: status.update(f"{job} {message}")
    return lambda message: console.print(f"{job} {message}", style="dim")


def _print_file_summary(data: DataDir, year: int) -> None:
    from pipeline.runner import input_file_counts

    for row in input_file_counts(data, year):
        if row["source_file"].endswith(".json"):
            # An Ed-Fi resource: its kind, and whether its documents are rows or only feed rows.
            if not row["rows_read"]:
                out.print(f"{row['source_file']}: read for {row['source']}")
                continue
            row["source_file"] += f" ({row['source']})"
        out.print(f"{row['source_file']}: read {row['rows_read']:,}, loaded {row['rows_loaded']:,}, "
                  f"rejected {row['rows_rejected']:,}")


def _materialize(data: DataDir, year: int, profile: str, threshold: int | None) -> None:
    blocked = _run(data, "school_year", year, profile, _threshold(threshold))
    _print_file_summary(data, year)
    out.print(f"[green]{label(year)} materialized[/green] (warehouse {data.warehouse_db(year)})")
    if blocked:
        console.print(f"[yellow]warning:[/yellow] {label(year)} cannot be certified: {blocked}")


@main.command()
@click.option("--students", type=int, default=5000, show_default=True)
@click.option("--years", "years_text", default="2021-22..2024-25", show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--error-rate", type=float, default=0.01, show_default=True,
              help="Share of rows carrying a realistic data error.")
@click.option("--mixed-formats", is_flag=True, help="Also write XLSX files and per-district folders.")
@click.option("--format", "output_format", type=click.Choice(["csv", "edfi"]), default="csv", show_default=True,
              help="Write extracts as CSV/XLSX, or as Ed-Fi API resources.")
@click.option("--survey-profile", default="all", show_default=True,
              help="Whose exit cohort the placement survey covers: a profile, or `all` (concentrators under "
                   "every profile, so the data certifies under any).")
@click.pass_context
def generate(ctx: click.Context, students: int, years_text: str, seed: int, error_rate: float,
             mixed_formats: bool, output_format: str, survey_profile: str) -> None:
    """Write realistic synthetic extracts and reference lists."""
    from pipeline.synthetic.generate import GenerateOptions
    from pipeline.synthetic.generate import generate as run_generate

    try:
        years = parse_range(years_text)
    except YearError as error:
        raise CtesnapError(str(error)) from None
    if survey_profile != "all":
        _check_profile(survey_profile)
    options = GenerateOptions(students, years, seed, error_rate, mixed_formats, survey_profile, output_format)
    with console.status("generating...") as status:
        run_generate(options, _data(ctx).root, lambda message: status.update(f"generating {message}"))
    out.print(f"wrote {students:,} students x {len(years)} years under {_data(ctx).raw}")


@main.command()
@click.option("--year", required=True, help="School year, 2024-25 or 2025.")
@_compute_options
@click.pass_context
def materialize(ctx: click.Context, year: str, profile: str, suppression_threshold: int | None) -> None:
    """Run the Dagster assets of a school year (current view)."""
    _materialize(_data(ctx), _year(year), profile, suppression_threshold)


@main.command()
@click.option("--from", "first", required=True)
@click.option("--to", "last", required=True)
@_compute_options
@click.pass_context
def backfill(ctx: click.Context, first: str, last: str, profile: str, suppression_threshold: int | None) -> None:
    """Materialize a range of school years, oldest first."""
    try:
        years = year_range(first, last)
    except YearError as error:
        raise CtesnapError(str(error)) from None
    for year in years:
        _materialize(_data(ctx), year, profile, suppression_threshold)


@main.command()
@click.option("--year", required=True)
@click.option("--date", "snapshot_date", required=True, help="Certification date, YYYY-MM-DD.")
@click.option("--reason", default=None, help="Why the year is certified again (an amendment needs it).")
@click.option("--approved-by", default=None, help="Who approved the amendment (an amendment needs it).")
@click.option("--requested-by", default="", help="Recipients who asked for the amendment, comma-separated.")
@_compute_options
@click.pass_context
def snapshot(ctx: click.Context, year: str, snapshot_date: str, reason: str | None, approved_by: str | None,
             requested_by: str, profile: str, suppression_threshold: int | None) -> None:
    """Recompute a year, run every expectation and publish its December snapshot; a later
    certification of a certified year is an amendment (docs/snapshot.md#amendments)."""
    from pipeline.core import certification
    from pipeline.snapshot.publish import SnapshotError, SnapshotRequest, claim

    data, school_year = _data(ctx), _year(year)
    try:
        request = SnapshotRequest(data, school_year, date.fromisoformat(snapshot_date), reason, approved_by,
                                  tuple(r.strip() for r in requested_by.split(",") if r.strip()))
    except ValueError:
        raise CtesnapError(f"--date '{snapshot_date}' is not a date (YYYY-MM-DD)") from None
    given = ctx.get_parameter_source("profile") != click.core.ParameterSource.DEFAULT
    target = request.target
    try:
        request.check_date()
        request.check_free()
        certification.recover(data, school_year)
        # Refused here, before anything is computed or written; checked again when it publishes.
        certified, profile = certification.plan(data, school_year, request.certification(profile if given else None))
        with claim(request):
            blocked = _run(data, "certify", school_year, profile,
                           {**_threshold(suppression_threshold), "ops": {"december_snapshot": {"config": {
                               "snapshot_date": snapshot_date, "reason": reason, "approved_by": approved_by,
                               "requested_by": list(request.requested_by)}}}})
    except (SnapshotError, certification.CertificationError) as error:
        raise CtesnapError(str(error)) from None
    if blocked:
        raise CtesnapError(f"{label(school_year)} not certified: {blocked}. "
                           f"Review: ctesnap report --year {label(school_year)}")
    kind = "amended" if certified.action == "amend" else "certified"
    out.print(f"[green]{kind}[/green] {target} (certification {certified.number}"
              + (f", superseding {certified.supersedes})" if certified.supersedes else ")"))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
def verify(path: Path) -> None:
    """Check that a snapshot is complete and unchanged, or a year folder with its certification log."""
    from pipeline.core import certification
    from pipeline.snapshot.publish import verify as verify_snapshot
    from pipeline.snapshot.publish import verify_year

    year_folder = (path / certification.LOG).is_file() or _is_label(path.name)
    if year_folder and path.parent.name == "snapshots":  # finish what a killed certification owes first
        certification.recover(DataDir(path.parent.parent), parse_year(path.name))
    problems = verify_year(path) if year_folder else verify_snapshot(path)
    if problems:
        raise CtesnapError(f"{path}: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    out.print(f"[green]valid[/green] {path}")


def _is_label(name: str) -> bool:
    try:
        parse_year(name)
    except YearError:
        return False
    return "-" in name


@main.command()
@click.option("--year", required=True)
@click.pass_context
def history(ctx: click.Context, year: str) -> None:
    """List the year's certifications: in force or superseded, why, by whom, verified or not."""
    from pipeline.core import certification
    from pipeline.snapshot.publish import verify

    data, school_year = _data(ctx), _year(year)
    certification.recover(data, school_year)
    lines = certification.entries(data, school_year)
    if not lines:
        raise CtesnapError(f"{label(school_year)} has no certification (no {certification.LOG})")
    table = Table(title=f"Certifications of {label(school_year)}")
    for column in ("number", "date", "status", "reason", "approved by", "requested by", "verified"):
        table.add_column(column)
    for entry in lines:
        folder = data.snapshots(school_year) / entry["snapshot_date"]
        verified = folder.is_dir() and not verify(folder) and certification.sha256(
            (folder / "manifest.json").read_bytes()) == entry["manifest_sha256"]
        table.add_row(str(entry["number"]), entry["snapshot_date"],
                      "in force" if entry is lines[-1] else f"superseded by {lines[entry['number']]['snapshot_date']}",
                      entry["reason"] or "", entry["approved_by"] or "", ", ".join(entry["requested_by"]),
                      "verified" if verified else "NOT VERIFIED")
    Console(width=max(out.width, 160)).print(table)  # a log line each, unwrapped, when not on a terminal


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@click.pass_context
def diff(ctx: click.Context, a: str, b: str, as_json: bool) -> None:
    """Compare two snapshots, or a snapshot and `current` (the current view); a school year (2024-25)
    names its certification in force."""
    from pipeline.snapshot.diff import diff as run_diff
    from pipeline.snapshot.publish import SnapshotError

    try:
        result = run_diff(a, b, _data(ctx))
    except SnapshotError as error:
        raise CtesnapError(str(error)) from None
    if as_json:
        click.echo(result.to_json())
        return
    for setting, sides in result.settings.items():
        out.print(f"[yellow]{setting} differs:[/yellow] A {sides['a']}, B {sides['b']}")
    students = Table(title=f"Students entering and leaving each table\nA: {result.a}\nB: {result.b}")
    for column in ("table", "entering", "leaving", "e.g. entering", "e.g. leaving"):
        students.add_column(column)
    for table, change in result.tables.items():
        students.add_row(table, str(len(change["entering"])), str(len(change["leaving"])),
                         ", ".join(change["entering"][:3]), ", ".join(change["leaving"][:3]))
    out.print(students)
    indicators = Table(title=f"Indicator cells that changed ({len(result.indicators)})")
    for column in ("level", "recipient", "indicator", "group", "value", "numerator A", "numerator B",
                   "denominator A", "denominator B"):
        indicators.add_column(column)
    for cell in result.indicators:
        indicators.add_row(*(str(cell[k] or "") for k in ("level", "recipient_id", "indicator", "group_type",
                                                           "group_value", "numerator_a", "numerator_b",
                                                           "denominator_a", "denominator_b")))
    out.print(indicators)


@main.command()
@click.option("--year", required=True)
@click.option("--snapshot", "snapshot_date", default=None, help="Report on this snapshot instead.")
@click.pass_context
def report(ctx: click.Context, year: str, snapshot_date: str | None) -> None:
    """Write the HTML review report of a year and print its path."""
    from pipeline.exports.report import ReportSource, write_report
    from pipeline.snapshot.publish import SnapshotError

    data, school_year = _data(ctx), _year(year)
    folder = data.snapshots(school_year) / snapshot_date if snapshot_date else None
    if folder is not None and not folder.is_dir():
        raise CtesnapError(f"no snapshot of {label(school_year)} on {snapshot_date}")
    try:
        page = write_report(ReportSource(data, school_year, folder))
    except SnapshotError as error:
        raise CtesnapError(str(error)) from None
    out.print(str(page))


@main.command()
@click.option("--year", required=True)
@click.option("--snapshot", "snapshot_date", default=None,
              help="A snapshot date, or `current` (default: the certification in force).")
@click.option("--only", default="car,public,packets,errata", show_default=True,
              help="Which exports: car, public, packets, errata (comma-separated; errata of an amendment only).")
@click.pass_context
def export(ctx: click.Context, year: str, snapshot_date: str | None, only: str) -> None:
    """Write the federal tables, the public tables and one packet per eligible recipient."""
    from pipeline.exports.report import ReportSource
    from pipeline.exports.tables import EXPORT_KINDS
    from pipeline.exports.tables import export as run_export
    from pipeline.ingest.certified import in_force
    from pipeline.snapshot.publish import SnapshotError

    data, school_year = _data(ctx), _year(year)
    kinds = [k.strip() for k in only.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in EXPORT_KINDS]
    if unknown or not kinds:
        raise CtesnapError(f"--only {only}: choose from {', '.join(EXPORT_KINDS)}")
    if snapshot_date == "current":
        folder = None
    else:
        folder = data.snapshots(school_year) / snapshot_date if snapshot_date else in_force(data, school_year)
        if folder is None or not folder.is_dir():
            raise CtesnapError(f"no snapshot of {label(school_year)}"
                               + (f" on {snapshot_date}" if snapshot_date else "")
                               + ": certify it first, or export the current view with --snapshot current")
    try:
        target = run_export(ReportSource(data, school_year, folder), kinds)
    except SnapshotError as error:
        raise CtesnapError(str(error)) from None
    out.print(str(target))


@main.command()
@click.option("--year", required=True)
@click.option("--profiles", default=None, help="Two rule profiles, A,B: the year under each, side by side.")
@click.option("--levels", "levels_file", type=click.Path(path_type=Path), default=None,
              help="Proposed performance levels (the form of reference/performance_levels.csv) against the "
                   "certified years the file names.")
@click.option("--suppression-threshold", type=click.IntRange(min=1), default=None,
              help="Suppression threshold of the computed figures (default 10).")
@click.pass_context
def compare(ctx: click.Context, year: str, profiles: str | None, levels_file: Path | None,
            suppression_threshold: int | None) -> None:
    """Two profiles, or proposed performance levels, side by side per recipient (docs/commands.md#ctesnap-compare)."""
    from pipeline.compare.scenarios import CompareError, check_profiles, compare_levels, compare_profiles

    data, school_year = _data(ctx), _year(year)
    if (profiles is None) == (levels_file is None):
        raise CtesnapError("give --profiles A,B or --levels FILE")
    notify = lambda message: console.print(f"{label(school_year)} compare: {message}", style="dim")  # noqa: E731
    try:
        if profiles is not None:
            names = [p.strip() for p in profiles.split(",")]
            check_profiles(names, known_profiles())
            folder = compare_profiles(data, school_year, names[0], names[1], suppression_threshold, notify)
        else:
            folder = compare_levels(data, school_year, levels_file)
    except CompareError as error:
        raise CtesnapError(str(error)) from None
    out.print(str(folder))


@main.command()
@_compute_options
@click.option("--date", "snapshot_date", default=None,
              help="Certification date (default: December 5 after the latest year).")
@click.option("--format", "input_format", type=click.Choice(["csv", "edfi"]), default="csv", show_default=True,
              help="edfi: the same sample state delivered as Ed-Fi API resources (docs/inputs.md#ed-fi-resources).")
@click.pass_context
def demo(ctx: click.Context, profile: str, suppression_threshold: int | None, snapshot_date: str | None,
         input_format: str) -> None:
    """Copy the bundled sample extracts, materialize every year, certify the latest, report."""
    data = _data(ctx)
    if not data.raw.is_dir() or not any(data.raw.iterdir()):
        if input_format == "edfi":
            # The bundled sample is this generator's output; as Ed-Fi it is written afresh.
            ctx.invoke(generate, students=3000, years_text="2021-22..2024-25", seed=1, error_rate=0.01,
                       mixed_formats=True, output_format="edfi", survey_profile="all")
        else:
            shutil.copytree(SAMPLE_RAW_DIR, data.raw, dirs_exist_ok=True)
            out.print(f"copied the bundled sample extracts to {data.raw}")
    years = data.raw_years()
    if not years:
        raise CtesnapError(f"{data.raw} has no school-year folders")
    for year in years:
        _materialize(data, year, profile, suppression_threshold)
    latest = years[-1]
    certify_on = snapshot_date or date(latest, 12, 5).isoformat()
    target = data.snapshots(latest) / certify_on
    if target.exists():
        out.print(f"snapshot {target} exists already; left as it is")
    else:
        ctx.invoke(snapshot, year=label(latest), snapshot_date=certify_on, profile=profile,
                   suppression_threshold=suppression_threshold)
    ctx.invoke(report, year=label(latest), snapshot_date=certify_on)
    ctx.invoke(export, year=label(latest), snapshot_date=certify_on, only="car,public,packets,errata")
    out.print(f"snapshot: {target}\nreports:  {data.reports(latest)}\n"
              f"exports:  {data.root / 'exports' / label(latest)}")


def run() -> None:
    """The console script: every error, ours or a usage error, is one line on stderr."""
    try:
        main(standalone_mode=False)
    except click.ClickException as error:
        click.echo(f"ctesnap: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("ctesnap: aborted", err=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
