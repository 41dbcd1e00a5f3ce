"""Ingest assets: reference lists, and each school year's extracts typed and row-checked."""

from collections.abc import Iterator

import dagster as dg

from pipeline.core.partitions import school_year_partitions
from pipeline.core.resources import CtesnapSettings, warehouse_lock
from pipeline.core.years import parse_year
from pipeline.ingest.certified import write_certified_history
from pipeline.ingest.read import ExtractError, YearIngest, ensure_history, ingest_reference, ingest_year
from pipeline.ingest.schema import EXTRACT_KINDS, REFERENCE_KINDS

STAGED_KEYS = [f"staged_{kind}" for kind in EXTRACT_KINDS] + ["staged_rejected", "staged_files",
                                                               "certified_performance_status"]


REFERENCE_KEYS = [f"reference_{kind}" for kind in REFERENCE_KINDS]


@dg.multi_asset(
    specs=[dg.AssetSpec(key, group_name="ingest") for key in REFERENCE_KEYS],
    description="State reference lists: programs, coherent sequence courses, credential catalog.",
)
def reference_lists(context: dg.AssetExecutionContext, ctesnap: CtesnapSettings
                    ) -> Iterator[dg.MaterializeResult]:
    try:
        with warehouse_lock(ctesnap.data):
            results = ingest_reference(ctesnap.data, context.log.info)
    except ExtractError as error:
        raise dg.Failure(description=str(error)) from None
    for kind in REFERENCE_KINDS:
        files = [r for r in results if r.kind == kind]  # an optional list may be absent
        yield dg.MaterializeResult(asset_key=f"reference_{kind}", metadata={
            "files": [r.path for r in files], "rows": sum(r.rows_read for r in files)})


@dg.multi_asset(
    specs=[dg.AssetSpec(key, deps=REFERENCE_KEYS, group_name="ingest") for key in STAGED_KEYS],
    partitions_def=school_year_partitions,
    description="A school year's extracts, typed, with rows failing a format check set aside.",
)
def staged_extracts(context: dg.AssetExecutionContext, ctesnap: CtesnapSettings
                    ) -> Iterator[dg.MaterializeResult]:
    year = parse_year(context.partition_key)
    try:
        with warehouse_lock(ctesnap.data):
            ensure_history(ctesnap.data, year, context.log.info)
            summary = ingest_year(ctesnap.data, year, context.log.info)
            write_certified_history(ctesnap.data, year)
    except ExtractError as error:
        raise dg.Failure(description=str(error)) from None
    yield from _results(summary)


def _results(summary: YearIngest) -> Iterator[dg.MaterializeResult]:
    for kind in EXTRACT_KINDS:
        files = [f for f in summary.files if f.kind == kind]
        yield dg.MaterializeResult(asset_key=f"staged_{kind}", metadata={
            "files": len(files),
            # CSV/XLSX extracts, or the Ed-Fi resources the kind was read from (docs/inputs.md#ed-fi-resources).
            "read_from": [f.path for f in files],
            "rows_read": sum(f.rows_read for f in files),
            "rows_rejected_format": sum(f.rows_rejected_format for f in files),
        })
    yield dg.MaterializeResult(asset_key="staged_rejected", metadata={
        "rows": sum(f.rows_rejected_format for f in summary.files)})
    yield dg.MaterializeResult(asset_key="staged_files", metadata={"files": len(summary.files)})
    yield dg.MaterializeResult(asset_key="certified_performance_status")
