"""The review report asset: the page accountability staff read before sign-off.

It depends on the tables, not on the blocking checks, so that a year whose certification is
blocked still gets the report that explains why.
"""

import dagster as dg

from pipeline.partitions import school_year_partitions
from pipeline.report import ReportSource, write_report
from pipeline.resources import CtesnapSettings
from pipeline.snapshot import SNAPSHOT_TABLES
from pipeline.years import parse_year


@dg.asset(deps=[dg.AssetKey(table) for table in SNAPSHOT_TABLES], partitions_def=school_year_partitions,
          group_name="reports", description="Single-page HTML review of the year, with exports.")
def review_report(context: dg.AssetExecutionContext, ctesnap: CtesnapSettings) -> dg.MaterializeResult:
    page = write_report(ReportSource(ctesnap.data, parse_year(context.partition_key)))
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(page))})
