"""The December snapshot asset: certify a school year as of a date (SPEC 6)."""

import json
from datetime import date

import dagster as dg

from pipeline.assets.checks import expectation_results
from pipeline.expectations import ExpectationReport, results_path
from pipeline.partitions import school_year_partitions
from pipeline.resources import CtesnapSettings, warehouse_lock
from pipeline.snapshot import SnapshotError, SnapshotRequest, publish
from pipeline.years import parse_year


class SnapshotConfig(dg.Config):
    snapshot_date: str  # YYYY-MM-DD: the certification date, the folder's name


@dg.asset(deps=[expectation_results], partitions_def=school_year_partitions, group_name="snapshot",
          description="Certified, read-only Parquet tables of the year with their manifest.")
def december_snapshot(context: dg.AssetExecutionContext, config: SnapshotConfig,
                      ctesnap: CtesnapSettings) -> dg.MaterializeResult:
    year = parse_year(context.partition_key)
    request = SnapshotRequest(ctesnap.data, year, date.fromisoformat(config.snapshot_date), ctesnap.profile)
    report = ExpectationReport.from_json(results_path(ctesnap.data, year).read_text())
    try:
        with warehouse_lock(ctesnap.data):
            folder = publish(request, json.loads(report.to_json()))
    except SnapshotError as error:
        raise dg.Failure(description=str(error)) from None
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(folder)), **report.summary()})
