"""The exports of a certified year: the state's federal (CAR) tables, its public tables and one
review packet per eligible recipient (SPEC 9), written from the year's latest snapshot."""

import dagster as dg

from pipeline.exports import export
from pipeline.partitions import school_year_partitions
from pipeline.report import ReportSource
from pipeline.resources import CtesnapSettings
from pipeline.snapshot import latest_snapshot
from pipeline.years import parse_year


@dg.asset(deps=["december_snapshot"], partitions_def=school_year_partitions, group_name="exports",
          description="CAR workbook, public tables and recipient packets of the year's latest snapshot.")
def certified_exports(context: dg.AssetExecutionContext, ctesnap: CtesnapSettings) -> dg.MaterializeResult:
    year = parse_year(context.partition_key)
    snapshot = latest_snapshot(ctesnap.data, year)
    if snapshot is None:
        raise dg.Failure(description=f"{context.partition_key} has no snapshot: certify it first")
    folder = export(ReportSource(ctesnap.data, year, snapshot))
    packets = sorted(p.name for p in (folder / "packets").iterdir())
    context.log.info(f"exports of the snapshot of {snapshot.name}: {len(packets)} recipient packets")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(folder)), "snapshot": snapshot.name,
                                          "recipient_packets": len(packets)})
