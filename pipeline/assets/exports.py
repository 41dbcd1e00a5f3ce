"""The exports of a certified year: the state's federal (CAR) tables, its public tables and one
review packet per eligible recipient (docs/snapshot.md#exports), and the errata of an amendment
(docs/snapshot.md#amendments), written from the year's certification in force."""

import dagster as dg

from pipeline.exports import export
from pipeline.partitions import school_year_partitions
from pipeline.report import ReportSource
from pipeline.resources import CtesnapSettings
from pipeline.snapshot import in_force
from pipeline.years import parse_year


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
