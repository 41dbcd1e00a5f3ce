"""The December snapshot asset: certify a school year as of a date (docs/snapshot.md)."""

from datetime import date

import dagster as dg

from pipeline.checks.assets import CHECKED_ASSETS
from pipeline.checks.expectations import load_results
from pipeline.core.partitions import school_year_partitions
from pipeline.core.resources import CtesnapSettings, warehouse_lock
from pipeline.core.years import parse_year
from pipeline.snapshot.publish import SnapshotError, SnapshotRequest, publish


class SnapshotConfig(dg.Config):
    snapshot_date: str  # YYYY-MM-DD: the certification date, the folder's name
    # An amendment (a later certification of a certified year) needs a reason and an approver.
    reason: str | None = None
    approved_by: str | None = None
    requested_by: list[str] = []


@dg.asset(deps=CHECKED_ASSETS, partitions_def=school_year_partitions, group_name="snapshot",
          description="Certified, read-only Parquet tables of the year with their manifest.")
def december_snapshot(context: dg.AssetExecutionContext, config: SnapshotConfig,
                      ctesnap: CtesnapSettings) -> dg.MaterializeResult:
    year = parse_year(context.partition_key)
    request = SnapshotRequest(ctesnap.data, year, date.fromisoformat(config.snapshot_date), config.reason,
                              config.approved_by, tuple(config.requested_by))
    report = load_results(ctesnap.data, year)
    if report is None:
        raise dg.Failure(description=f"{context.partition_key} has no expectation results: materialize it first")
    try:
        with warehouse_lock(ctesnap.data):
            folder = publish(request, report.to_dict())
    except SnapshotError as error:
        raise dg.Failure(description=str(error)) from None
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(folder)), **report.summary()})
