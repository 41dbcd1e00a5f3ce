"""Compare two snapshots, or a snapshot and the current view of its school year."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipeline.core.paths import DataDir
from pipeline.core.years import YearError, label, parse_year
from pipeline.ingest.certified import in_force
from pipeline.snapshot.publish import (
    MANIFEST,
    SETTINGS,
    SNAPSHOT_TABLES,
    SnapshotError,
    built_settings,
    expose_tables,
)

CURRENT = "current"
STUDENT_TABLES = tuple(t for t in SNAPSHOT_TABLES if t not in ("perkins_indicators", "performance_status"))
INDICATOR_KEY = ("level", "recipient_id", "indicator", "group_type", "group_value")


@dataclass
class SnapshotDiff:
    a: str
    b: str
    tables: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    # Settings that differ between the sides (profile, suppression threshold, code version).
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"a": self.a, "b": self.b, "settings": self.settings, "tables": self.tables,
                           "indicators": self.indicators}, indent=2, default=str)


def _snapshot_year(path: Path) -> int:
    manifest = path / MANIFEST
    if not manifest.is_file():
        raise SnapshotError(f"{path}: not a snapshot (no {MANIFEST})")
    return int(json.loads(manifest.read_text())["school_year_end"])


def _attach(con: duckdb.DuckDBPyConnection, schema: str, side: str, data: DataDir, year: int) -> str:
    """Expose one side's tables as views in `schema`; return how to name the side."""
    expose_tables(con, schema, data, year, None if side == CURRENT else Path(side))
    return f"current view {label(year)}" if side == CURRENT else side


def _in_force_of(side: str, data: DataDir) -> str:
    """A side named by its school year (`2024-25`) is that year's certification in force."""
    if side == CURRENT or Path(side).exists():
        return side
    try:
        year = parse_year(side)
    except YearError:
        return side
    folder = in_force(data, year)
    if folder is None:
        raise SnapshotError(f"{label(year)} has no certification")
    return str(folder)


def diff(a: str, b: str, data: DataDir) -> SnapshotDiff:
    a, b = _in_force_of(a, data), _in_force_of(b, data)
    snapshots = [Path(s) for s in (a, b) if s != CURRENT]
    if not snapshots:
        raise SnapshotError("name at least one snapshot folder; the other may be 'current'")
    years = {_snapshot_year(p) for p in snapshots}
    if len(years) > 1:
        raise SnapshotError("the two snapshots are of different school years")
    year = years.pop()
    with duckdb.connect() as con:
        result = SnapshotDiff(_attach(con, "a", a, data, year), _attach(con, "b", b, data, year))
        settings_a, settings_b = (built_settings(data, year, None if side == CURRENT else Path(side))
                                  for side in (a, b))
        result.settings = {k: {"a": settings_a.get(k), "b": settings_b.get(k)} for k in SETTINGS
                           if settings_a.get(k) != settings_b.get(k)}
        for table in STUDENT_TABLES:
            result.tables[table] = {
                "entering": _ids(con, f"select student_id from b.{table} except select student_id from a.{table}"),
                "leaving": _ids(con, f"select student_id from a.{table} except select student_id from b.{table}"),
            }
        result.indicators = _indicator_changes(con)
    return result


def _ids(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [row[0] for row in con.execute(f"{sql} order by 1").fetchall()]


def _indicator_changes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cursor = con.execute("""
        select coalesce(a.level, b.level) as level, coalesce(a.recipient_id, b.recipient_id) as recipient_id,
               coalesce(a.indicator, b.indicator) as indicator,
               coalesce(a.group_type, b.group_type) as group_type,
               coalesce(a.group_value, b.group_value) as group_value,
               a.numerator as numerator_a, b.numerator as numerator_b,
               a.denominator as denominator_a, b.denominator as denominator_b,
               a.rate as rate_a, b.rate as rate_b
        from a.perkins_indicators as a
        full outer join b.perkins_indicators as b
            on a.level = b.level and a.recipient_id is not distinct from b.recipient_id
            and a.indicator = b.indicator and a.group_type = b.group_type and a.group_value = b.group_value
        where a.numerator is distinct from b.numerator
           or a.denominator is distinct from b.denominator
           or a.suppressed is distinct from b.suppressed
        order by 1, 2 nulls first, 3, 4, 5""")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
