"""Great Expectations suites as Dagster asset checks, each attached to the table it checks.

Every suite of expectations/ names its table (`meta.asset`); one check op validates them all for
a school-year partition (GX runs once, and its Data Docs cover the whole run). An error
expectation that fails makes its check fail with ERROR severity; the checks are blocking, so the
snapshot downstream of those tables does not run. A failed warning is recorded (WARN).
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg

from pipeline.checks.expectations import ExpectationReport, load_suites, run_suites
from pipeline.core.resources import CtesnapSettings, warehouse_lock
from pipeline.core.years import parse_year

SUITES = load_suites()
CHECKED_ASSETS = sorted({suite["meta"]["asset"] for suite in SUITES})


def _check_spec(suite: dict[str, Any]) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name=suite["name"], asset=suite["meta"]["asset"],
                             description=suite["meta"]["description"], blocking=True)


@dg.multi_asset_check(
    name="expectation_suites",
    specs=[_check_spec(suite) for suite in SUITES],
    description="Great Expectations suites of the school year (reports/<year>/expectations.json, Data Docs).",
)
def expectation_suites(context: dg.AssetCheckExecutionContext, ctesnap: CtesnapSettings
                       ) -> Iterator[dg.AssetCheckResult]:
    year = parse_year(context.run.tags["dagster/partition"])
    with warehouse_lock(ctesnap.data):
        report = run_suites(ctesnap.data, year, SUITES)
    context.log.info(f"expectations: {report.summary()}")
    for suite in SUITES:
        yield _check_result(suite, report)


def _check_result(suite: dict[str, Any], report: ExpectationReport) -> dg.AssetCheckResult:
    outcomes = [o for o in report.outcomes if o.suite == suite["name"]]
    failed = [o for o in outcomes if not o.success]
    errors = [o for o in failed if o.level == "error"]
    return dg.AssetCheckResult(
        check_name=suite["name"],
        asset_key=suite["meta"]["asset"],
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        metadata={"expectations": len(outcomes), "failed_errors": len(errors),
                  "failed_warnings": len(failed) - len(errors),
                  # Batches are aggregates, so the observed values hold no personal data.
                  "failures": dg.MetadataValue.json([
                      {"expectation": o.description, "level": o.level, "observed": o.observed} for o in failed])},
    )
