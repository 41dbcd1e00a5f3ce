"""Earlier certifications as an input: the snapshots of a school year, the one in force, and the
performance status of every earlier year's certification in force, which the 90 percent rule reads
(docs/indicators.md#performance-levels)."""

import os
from pathlib import Path

import duckdb

from pipeline.core import certification
from pipeline.core.paths import DataDir


def list_snapshots(data: DataDir, year: int) -> list[Path]:
    folder = data.snapshots(year)
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if folder.is_dir() else []


def in_force(data: DataDir, year: int) -> Path | None:
    """The snapshot folder of the year's certification in force (docs/snapshot.md#amendments), if any."""
    certification.recover(data, year)
    return certification.in_force_folder(data, year)


def write_certified_history(data: DataDir, year: int) -> Path:
    """Gather performance_status of the certification in force of every year before `year` into
    one Parquet file the rules read (docs/indicators.md#performance-levels: consecutive years below 90 percent)."""
    sources = [snapshot / "performance_status.parquet" for earlier in data.raw_years() if earlier < year
               if (snapshot := in_force(data, earlier)) and (snapshot / "performance_status.parquet").is_file()]
    target = data.certified_history
    target.parent.mkdir(parents=True, exist_ok=True)
    selects = ["select null::integer as school_year, null::varchar as level, null::varchar as recipient_id, "
               "null::varchar as indicator, null::boolean as below_90_percent where false"]
    selects += [f"select school_year::integer, level, recipient_id, indicator, below_90_percent "
                f"from read_parquet('{path}')" for path in sources]
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    with duckdb.connect() as con:
        con.execute(f"copy ({' union all '.join(selects)}) to '{partial}' (format parquet)")
    os.replace(partial, target)
    return target
