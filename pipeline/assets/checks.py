"""Great Expectations suites run as Dagster asset checks, per school-year partition.

An error expectation that fails makes its check fail with ERROR severity; the checks are
blocking, so the snapshot downstream does not run. A failed warning is recorded (WARN).
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg

from pipeline.expectations import ExpectationReport, load_suites, run_suites
from pipeline.partitions import school_year_partitions
from pipeline.resources import CtesnapSettings, warehouse_lock
from pipeline.snapshot import SNAPSHOT_TABLES
from pipeline.years import parse_year

SUITES = load_suites()


def _check_spec(suite: dict[str, Any]) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name=suite["name"], asset="expectation_results",
                             description=suite["meta"]["description"], blocking=True)


@dg.asset(
    deps=[dg.AssetKey(table) for table in SNAPSHOT_TABLES],
    partitions_def=school_year_partitions,
    check_specs=[_check_spec(suite) for suite in SUITES],
    group_name="checks",
    description="Great Expectations results for the year's extracts and tables (reports/<year>/).",
)
def expectation_results(context: dg.AssetExecutionContext, ctesnap: CtesnapSettings
                        ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    with warehouse_lock(ctesnap.data):
        report = run_suites(ctesnap.data, parse_year(context.partition_key), SUITES)
    yield dg.MaterializeResult(metadata={**report.summary(), "data_docs": dg.MetadataValue.path(report.data_docs)})
    for suite in SUITES:
        yield _check_result(suite["name"], report)


def _check_result(suite: str, report: ExpectationReport) -> dg.AssetCheckResult:
    outcomes = [o for o in report.outcomes if o.suite == suite]
    failed = [o for o in outcomes if not o.success]
    errors = [o for o in failed if o.level == "error"]
    return dg.AssetCheckResult(
        check_name=suite,
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        metadata={"expectations": len(outcomes), "failed_errors": len(errors),
                  "failed_warnings": len(failed) - len(errors),
                  # Batches are aggregates, so the observed values hold no personal data.
                  "failures": dg.MetadataValue.json([
                      {"expectation": o.description, "level": o.level, "observed": o.observed} for o in failed])},
    )
