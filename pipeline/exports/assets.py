"""What a school year gives its readers, as assets: the review report accountability staff read
before sign-off, and the exports of the certification in force (docs/snapshot.md#exports): the
state's federal (CAR) tables, its public tables, one review packet per eligible recipient, and
the errata of an amendment (docs/snapshot.md#amendments).

The report depends on the tables, not on the blocking checks, so that a year whose certification
is blocked still gets the report that explains why.
"""

import dagster as dg

from pipeline.core.partitions import school_year_partitions
from pipeline.core.resources import CtesnapSettings
from pipeline.core.years import parse_year
from pipeline.exports.report import ReportSource, write_report
from pipeline.exports.tables import export
from pipeline.ingest.certified import in_force
from pipeline.snapshot.publish import SNAPSHOT_TABLES


@dg.asset(deps=[dg.AssetKey(table) for table in SNAPSHOT_TABLES], partitions_def=school_year_partitions,
          group_name="reports", description="Single-page HTML review of the year, with exports.")
def review_report(context: dg.AssetExecutionContext, ctesnap: CtesnapSettings) -> dg.MaterializeResult:
    page = write_report(ReportSource(ctesnap.data, parse_year(context.partition_key)))
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(page))})


@dg.asset(deps=["december_snapshot"], partitions_def=school_year_partitions, group_name="exports",
          description="CAR workbook, public tables, recipient packets and errata of the certification in force.")
def certified_exports(context: dg.AssetExecutionContext, ctesnap: CtesnapSettings) -> dg.MaterializeResult:
    year = parse_year(context.partition_key)
    snapshot = in_force(ctesnap.data, year)
    if snapshot is None:
        raise dg.Failure(description=f"{context.partition_key} has no snapshot: certify it first")
    folder = export(ReportSource(ctesnap.data, year, snapshot))
    packets = sorted(p.name for p in (folder / "packets").iterdir())
    context.log.info(f"exports of the snapshot of {snapshot.name}: {len(packets)} recipient packets")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(folder)), "snapshot": snapshot.name,
                                          "recipient_packets": len(packets)})
