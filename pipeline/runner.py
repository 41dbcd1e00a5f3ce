"""Run the Dagster jobs in-process against an instance under the data directory."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipeline.checks.expectations import load_results
from pipeline.core.paths import DataDir
from pipeline.core.resources import run_lock
from pipeline.core.run_logger import run_log
from pipeline.core.staged_changes import undone_unless_kept
from pipeline.core.years import label

# No telemetry (no network here), and no "Join the Dagster community" modal over the UI.
DAGSTER_YAML = "telemetry:\n  enabled: false\nnux:\n  enabled: false\n"


def dagster_instance(data: DataDir) -> dg.DagsterInstance:
    """The instance whose run history lives in <data-dir>/dagster_home (what the UI shows)."""
    home = data.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists() or settings.read_text() != DAGSTER_YAML:
        settings.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and key in merged else value
    return merged


@dataclass(frozen=True)
class RunOutcome:
    """failure: the run could not do its work. blocked: it did, but error expectations failed,
    so the year cannot be certified (its current view is there to review)."""

    failure: str | None = None
    blocked: str | None = None


STEP_NAMES = {"reference_lists": "reading reference lists", "staged_extracts": "reading extracts",
              "perkins_models": "applying the rules (dbt)", "expectation_suites": "checking expectations",
              "december_snapshot": "publishing the snapshot", "review_report": "writing the report"}


def run_log_path(data: DataDir, year: int, job: str) -> Path:
    return data.root / "logs" / label(year) / f"{datetime.now():%Y%m%dT%H%M%S}-{job}.log"


def _ignore(_: str) -> None:
    return None


def execute(data: DataDir, job: str, year: int, profile: str, run_config: dict[str, Any],
            on_wait: Callable[[str], None] = print, on_step: Callable[[str], None] = _ignore,
            verbose: bool = False, log_path: Path | None = None, engine: str = "duckdb") -> RunOutcome:
    """Run `job` for one school year, alone in the data directory, and say how it ended. The
    whole log goes to `log_path`; `on_wait` hears what the run waits for, `on_step` what it does."""
    log_path = log_path or run_log_path(data, year, job)
    with run_lock(data, f"{label(year)} {job}", on_wait), \
            run_log(log_path, verbose, lambda step: on_step(f"{label(year)}: {STEP_NAMES.get(step, step)}...")), \
            undone_unless_kept(data, on_wait) as staged:
        on_step(f"{label(year)}: loading the pipeline (dbt models, checks)...")
        outcome = _execute(data, job, year, profile, run_config, engine)
        if outcome.failure is None:
            staged.keep()  # a failed run leaves the staged data as it was
        return outcome


def _execute(data: DataDir, job: str, year: int, profile: str, run_config: dict[str, Any],
             engine: str) -> RunOutcome:
    from pipeline.core.partitions import school_year_partitions
    from pipeline.rules.dbt_project import prepare_manifest

    prepare_manifest()  # before the definitions load: the dbt assets are read from the manifest
    from pipeline.definitions import defs

    instance = dagster_instance(data)
    key = label(year)
    if not instance.has_dynamic_partition(school_year_partitions.name, key):
        instance.add_dynamic_partitions(school_year_partitions.name, [key])
    config = _deep_merge({
        "resources": {"ctesnap": {"config": {"data_dir": str(data.root), "profile": profile, "engine": engine}}},
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
    }, run_config)
    result = defs.resolve_job_def(job).execute_in_process(
        run_config=config, instance=instance, partition_key=key, raise_on_error=False)
    skipped = sorted({e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_SKIPPED})
    if result.success and skipped:
        # Dagster counts a run whose steps were skipped (an output never came) as a success.
        return RunOutcome(failure=f"the run stopped before {', '.join(skipped)}: a step did not give all its "
                                  "outputs (see the full log)")
    if result.success:
        return RunOutcome()
    failed_steps = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE}
    blocked = _blocked_reason(result, data, year)
    if blocked and failed_steps <= {"expectation_suites"}:
        return RunOutcome(blocked=blocked)
    return RunOutcome(failure=_step_failure(result))


def _blocked_reason(result: dg.ExecuteInProcessResult, data: DataDir, year: int) -> str | None:
    """Which error expectations failed, in one line, if a blocking check stopped the run."""
    blocked = any(e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
                  and not e.event_specific_data.passed
                  and e.event_specific_data.severity == dg.AssetCheckSeverity.ERROR
                  for e in result.all_events)
    report = load_results(data, year) if blocked else None
    if report is None:
        return None
    failed = report.failed_errors
    first = failed[0]
    more = f" (and {len(failed) - 1} more error expectation(s))" if len(failed) > 1 else ""
    return f"expected that {first.description}, but: {first.observed}{more}"


def _step_failure(result: dg.ExecuteInProcessResult) -> str:
    """The first step failure, in one line."""
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            data = event.step_failure_data
            if data.user_failure_data and data.user_failure_data.description:
                return data.user_failure_data.description.strip().splitlines()[0]
            error = data.error.cause if data.error and data.error.cause else data.error
            return error.message.strip().splitlines()[0] if error else "a step failed"
    return "the run failed (see the run in the Dagster UI)"


def input_file_counts(data: DataDir, year: int) -> list[dict[str, Any]]:
    with duckdb.connect(str(data.warehouse_db(year)), read_only=True) as con:
        cursor = con.execute("select source, source_file, rows_read, rows_loaded, rows_rejected "
                             f"from int_input_files_counted where school_year = {year} order by source_file, source")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
