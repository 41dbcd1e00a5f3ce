"""Run the Dagster jobs in-process against an instance under the data directory."""

import os
from typing import Any

import dagster as dg
import duckdb

from pipeline.expectations import ExpectationReport, results_path
from pipeline.paths import DataDir
from pipeline.years import label

DAGSTER_YAML = "telemetry:\n  enabled: false\n"


def dagster_instance(data: DataDir) -> dg.DagsterInstance:
    """The instance whose run history lives in <data-dir>/dagster_home (what the UI shows)."""
    home = data.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        settings.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and key in merged else value
    return merged


def execute(data: DataDir, job: str, year: int, profile: str, run_config: dict[str, Any]) -> str | None:
    """Run `job` for one school year; return None on success, else a one-line reason."""
    from pipeline.definitions import defs
    from pipeline.partitions import school_year_partitions

    instance = dagster_instance(data)
    key = label(year)
    if not instance.has_dynamic_partition(school_year_partitions.name, key):
        instance.add_dynamic_partitions(school_year_partitions.name, [key])
    config = _deep_merge({
        "resources": {"ctesnap": {"config": {"data_dir": str(data.root), "profile": profile}}},
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
    }, run_config)
    result = defs.resolve_job_def(job).execute_in_process(
        run_config=config, instance=instance, partition_key=key, raise_on_error=False)
    return None if result.success else failure_reason(result, data, year)


def failure_reason(result: dg.ExecuteInProcessResult, data: DataDir, year: int) -> str:
    """The first step failure, said in one line; a blocked certification names its expectation."""
    failed_checks = [e for e in result.all_events if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
                     and not e.event_specific_data.evaluation.passed
                     and e.event_specific_data.evaluation.severity == dg.AssetCheckSeverity.ERROR]
    if failed_checks and results_path(data, year).is_file():
        report = ExpectationReport.from_json(results_path(data, year).read_text())
        first = report.failed_errors[0]
        return (f"not certified: {len(report.failed_errors)} error expectation(s) failed, first: "
                f"{first.description} ({first.suite}: {first.observed})")
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            message = (error.cause.message if error and error.cause else error.message) if error else ""
            return (event.step_failure_data.user_failure_data.description
                    if event.step_failure_data.user_failure_data else message).strip().splitlines()[0]
    return "the run failed (see the run in the Dagster UI)"


def input_file_counts(data: DataDir, year: int) -> list[dict[str, Any]]:
    with duckdb.connect(str(data.warehouse_db(year)), read_only=True) as con:
        cursor = con.execute("select source_file, rows_read, rows_loaded, rows_rejected "
                             "from int_input_files_counted order by source_file")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
