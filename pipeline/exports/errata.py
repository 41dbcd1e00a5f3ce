"""Errata of an amendment (docs/snapshot.md#amendments): what changed between the certification it supersedes and it.

`changes` holds every perkins_indicators cell and performance_status row added, removed or changed,
with real (unsuppressed) values, for state staff; `public_changes` the cells of the public tables
whose published values changed, as published; `recipients_changed` one row per recipient with a
change. The same comparison gives each changed recipient's packet its opening table.
"""

from pathlib import Path

import duckdb
import polars as pl

CELL_KEY = ("level", "recipient_id", "indicator", "group_type", "group_value")
STATUS_KEY = ("level", "recipient_id", "indicator")
STATUS_FLAGS = ("meets_level", "below_90_percent", "improvement_plan_required", "funds_at_risk")
VALUES = ("numerator", "denominator", "rate", "suppressed", *STATUS_FLAGS)
# The tables of each side, with the real values (the changes for state staff).
REAL = {
    "perkins_indicators": """
        select level, recipient_id, indicator, group_type, group_value, numerator_unsuppressed as numerator,
               denominator, case when denominator > 0
                                 then round(100.0 * numerator_unsuppressed / denominator, 2) end as rate, suppressed
        from {side}.perkins_indicators""",
    "performance_status": f"""
        select level, recipient_id, indicator, numerator, denominator, rate, {', '.join(STATUS_FLAGS)}
        from {{side}}.performance_status""",
}
# ... and as published (docs/snapshot.md#exports): a suppressed value stays empty.
PUBLISHED = {
    "perkins_indicators": """
        select level, recipient_id, indicator, group_type, group_value, numerator, denominator, rate, suppressed
        from {side}.perkins_indicators""",
    "performance_status": f"""
        select status.level, status.recipient_id, status.indicator,
               case when cell.suppressed then null else status.numerator end as numerator,
               case when cell.suppressed then null else status.denominator end as denominator,
               case when cell.suppressed then null else status.rate end as rate,
               {', '.join(f'status.{flag}' for flag in STATUS_FLAGS)}
        from {{side}}.performance_status as status
        inner join {{side}}.perkins_indicators as cell
            on cell.level = status.level and cell.recipient_id is not distinct from status.recipient_id
            and cell.indicator = status.indicator and cell.group_type = 'all'""",
}
COLUMNS = ["table", *CELL_KEY, *(f"{v}_{side}" for v in VALUES for side in ("before", "after"))]


def _compared(con: duckdb.DuckDBPyConnection, table: str, sql: str) -> pl.DataFrame:
    """Rows of one table added, removed or changed between schema `before` and schema `main`."""
    key = CELL_KEY if table == "perkins_indicators" else STATUS_KEY
    values = [v for v in VALUES if v != "suppressed" or table == "perkins_indicators"]
    values = [v for v in values if v not in STATUS_FLAGS or table == "performance_status"]
    on = " and ".join(f"b.{k} is not distinct from a.{k}" for k in key)
    differs = " or ".join(f"b.{v} is distinct from a.{v}" for v in values)
    columns = [f"coalesce(b.{k}, a.{k}) as {k}" for k in key]
    columns += [f"{side[0]}.{v} as {v}_{side}" for v in values for side in ("before", "after")]
    return con.sql(f"""
        select '{table}' as "table", {', '.join(columns)}
        from ({sql.format(side='before')}) as b
        full outer join ({sql.format(side='main')}) as a on {on}
        where b.level is null or a.level is null or {differs}
        order by all""").pl()


def changes(con: duckdb.DuckDBPyConnection, published: bool = False) -> pl.DataFrame:
    """Every changed row of both tables, with real values or (published) as published."""
    queries = PUBLISHED if published else REAL
    frames = [_compared(con, table, sql) for table, sql in queries.items()]
    combined = pl.concat(frames, how="diagonal_relaxed")
    return combined.select(pl.col(c) if c in combined.columns else pl.lit(None).alias(c) for c in COLUMNS)


def recipients_changed(con: duckdb.DuckDBPyConnection, changed: pl.DataFrame) -> pl.DataFrame:
    """One row per recipient with a changed row (real values): how many, and whether a status
    changed: a flag of a status row, or a status row added or removed."""
    flags = [pl.col(f"{flag}_before").ne_missing(pl.col(f"{flag}_after")) for flag in STATUS_FLAGS]
    added_or_removed = pl.col("denominator_before").is_null() | pl.col("denominator_after").is_null()
    status = (pl.col("table") == "performance_status") & (pl.any_horizontal(flags) | added_or_removed)
    names = con.sql("""
        select recipient_id, any_value(recipient_name) as recipient_name from (
            select recipient_id, recipient_name from main.performance_status
            union all select recipient_id, recipient_name from before.performance_status
        ) where recipient_id is not null group by recipient_id""").pl()
    return (changed.filter(pl.col("recipient_id").is_not_null())
            .group_by("recipient_id").agg(pl.len().alias("cells_changed"), status.any().alias("status_changed"))
            .join(names, on="recipient_id", how="left")
            .select("recipient_id", pl.coalesce("recipient_name", "recipient_id").alias("recipient_name"),
                    "cells_changed", pl.when(pl.col("status_changed")).then(pl.lit("Y")).otherwise(pl.lit("N"))
                    .alias("status_changed"))
            .sort("recipient_id"))


def attach_superseded(con: duckdb.DuckDBPyConnection, snapshot: Path) -> None:
    """The superseded certification's tables as schema `before`."""
    con.execute("create schema if not exists before")
    for table in ("perkins_indicators", "performance_status"):
        con.execute(f"create or replace view before.{table} as "
                    f"select * from read_parquet('{snapshot / (table + '.parquet')}')")
