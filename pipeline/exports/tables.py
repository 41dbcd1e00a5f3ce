"""Exports of a school year (docs/snapshot.md#exports): the state's federal tables (CAR), its public tables, and
one review packet per eligible recipient, from a certified snapshot (or the current view).

XLSX is written with xlsxwriter through Polars, CSV with Polars; every text cell a spreadsheet
could run as a formula is neutralised, every HTML value is escaped by Jinja2.
"""

import multiprocessing
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline.core.workbooks import write_csv, write_workbook
from pipeline.core.years import label
from pipeline.exports.errata import attach_superseded, changes, recipients_changed
from pipeline.exports.report import (
    PLACEMENT_REACH_SQL,
    ReportSource,
    indicator_definitions,
    neutralise_formulas,
    render,
)

EXPORT_KINDS = ("car", "public", "packets", "errata")
NOT_FOR_PUBLICATION = "unsuppressed counts for federal submission - not for publication"
COUNTS_SQL = """
    select indicator, group_type, group_value, numerator_unsuppressed as students, denominator as enrolled,
           round(100.0 * numerator_unsuppressed / denominator, 2) as percent
    from perkins_indicators
    where level = 'state' and indicator in ('PARTICIPANTS', 'CONCENTRATORS')
    order by indicator desc, group_type, try_cast(group_value as integer), group_value"""
INDICATOR_SQL = """
    select cells.group_type, cells.group_value, cells.numerator_unsuppressed as numerator, cells.denominator,
           round(100.0 * cells.numerator_unsuppressed / cells.denominator, 2) as rate,
           status.performance_level as state_performance_level,
           case when status.performance_level is not null
                then cells.numerator_unsuppressed * 100 >= status.performance_level * cells.denominator end
               as meets_level
    from perkins_indicators as cells
    left join performance_status as status
        on status.level = 'state' and status.indicator = cells.indicator
    where cells.level = 'state' and cells.indicator = ?
      and cells.group_type <> 'placement_source'  -- docs/snapshot.md#exports: the federal tables split 3S1 by type only
    order by cells.group_type = 'all' desc, cells.group_type, try_cast(cells.group_value as integer),
             cells.group_value"""
PUBLIC_SQL = {
    "perkins_indicators": """
        select * exclude (numerator_unsuppressed) from perkins_indicators
        order by level desc, recipient_id nulls first, indicator, group_type, group_value""",
    "performance_status": """
        select status.* replace (
                   case when cell.suppressed then null else status.numerator end as numerator,
                   case when cell.suppressed then null else status.denominator end as denominator,
                   case when cell.suppressed then null else status.rate end as rate)
        from performance_status as status
        inner join perkins_indicators as cell
            on cell.level = status.level and cell.recipient_id is not distinct from status.recipient_id
            and cell.indicator = status.indicator and cell.group_type = 'all'
        order by status.level desc, status.recipient_id nulls first, status.indicator""",
}


def export_folder(source: ReportSource) -> Path:
    name = source.snapshot.name if source.snapshot else "current"
    return source.data.root / "exports" / label(source.year) / name


def export(source: ReportSource, only: Iterable[str] = EXPORT_KINDS) -> Path:
    """Write the chosen exports under DIR/exports/<label>/<snapshot date or current>/; errata only
    of an amendment (docs/snapshot.md#amendments)."""
    folder = export_folder(source)
    certified = source.certification()
    amended = certified is not None and certified["action"] == "amend"
    with source.connect() as con:
        if amended:
            attach_superseded(con, source.snapshot.parent / certified["supersedes"])
        for kind in only:
            target = folder / kind
            shutil.rmtree(target, ignore_errors=True)  # an export is rewritten whole
            if kind == "errata" and not amended:
                continue
            target.mkdir(parents=True)
            writer = {"car": write_car, "public": write_public, "packets": write_packets, "errata": write_errata}
            writer[kind](con, source, target)
    return folder


def _title(source: ReportSource) -> str:
    """The first row of every sheet and line of every CSV for state staff: not for publication,
    and which certification the figures come from."""
    return f"{NOT_FOR_PUBLICATION} - {source.certification_words()}"


def write_errata(con: duckdb.DuckDBPyConnection, source: ReportSource, folder: Path) -> None:
    """What the amendment changed (docs/snapshot.md#amendments): for state staff (real values, marked as the CAR is),
    for the public (as published), and which recipients it touched."""
    real = changes(con)
    changed = neutralise_formulas(real)
    write_workbook(folder / "changes.xlsx", {"changes": changed}, _title(source))
    write_csv(folder / "changes.csv", changed, _title(source))
    write_csv(folder / "public_changes.csv", neutralise_formulas(changes(con, published=True)))
    write_csv(folder / "recipients_changed.csv", neutralise_formulas(recipients_changed(con, real)))


def _frame(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any] | None = None) -> pl.DataFrame:
    return neutralise_formulas(con.sql(sql, params=parameters or None).pl())


def write_car(con: duckdb.DuckDBPyConnection, source: ReportSource, folder: Path) -> None:
    """The Consolidated Annual Report's secondary tables: enrollment and one sheet per indicator,
    state level, unsuppressed, each marked not for publication."""
    sheets = {"enrollment": _frame(con, COUNTS_SQL)}
    for code, definition in indicator_definitions().items():
        if definition["is_count"] != "true":
            sheets[code] = _frame(con, INDICATOR_SQL, [code])
    write_workbook(folder / f"car_secondary_{label(source.year)}.xlsx", sheets, _title(source))
    for name, frame in sheets.items():
        write_csv(folder / f"{name}.csv", frame, _title(source))


def write_public(con: duckdb.DuckDBPyConnection, source: ReportSource, folder: Path) -> None:
    """What may be published: suppressed indicators at both levels and performance status."""
    for name, sql in PUBLIC_SQL.items():
        frame = _frame(con, sql)
        write_csv(folder / f"{name}.csv", frame)
        write_workbook(folder / f"{name}.xlsx", {name: frame})


# Each packet table for every recipient at once (one query each), split by recipient_id after.
PACKET_SQL = {
    "indicators": """
        select cells.recipient_id, cells.indicator, cells.group_type, cells.group_value, cells.numerator,
               cells.denominator, cells.rate, cells.suppressed, round(cells.rate - overall.rate, 2) as gap_to_all
        from perkins_indicators as cells
        left join perkins_indicators as overall
            on overall.level = 'recipient' and overall.recipient_id = cells.recipient_id
            and overall.indicator = cells.indicator and overall.group_type = 'all'
        where cells.level = 'recipient'
        order by cells.indicator, cells.group_type = 'all' desc, cells.group_type,
                 try_cast(cells.group_value as integer), cells.group_value""",
    "status": """
        select recipient_id, indicator, numerator, denominator, rate, performance_level, level_source, meets_level,
               below_90_percent, consecutive_years_below_90, improvement_plan_required, funds_at_risk,
               small_denominator
        from performance_status where level = 'recipient' order by indicator""",
    "placement": PLACEMENT_REACH_SQL,
    "records_not_added": """
        select recipient_id, source_file, row_number, student_id, district_id, reason_code, reason
        from records_not_added where recipient_id is not null order by source_file, row_number""",
    "credential_warnings": """
        select students.recipient_id, review.student_id, review.credential_code, review.reason_code, review.reason
        from credential_review as review
        inner join students on review.student_id = students.student_id
        order by 2, 3, 4""",
    "schools": """
        select students.recipient_id, students.district_id, students.school_id, count(*) as enrolled,
               count(participants.student_id) as participants, count(concentrators.student_id) as concentrators,
               count(cte_graduates.student_id) as cte_graduates
        from students
        left join participants on students.student_id = participants.student_id
        left join concentrators on students.student_id = concentrators.student_id
        left join cte_graduates on students.student_id = cte_graduates.student_id
        group by all order by 2, 3""",
}


def _recipients(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Every recipient with students or attributed rows in Y, with its name."""
    return con.execute("""
        with ids as (
            select recipient_id from students
            union select recipient_id from records_not_added where recipient_id is not null
        )
        select ids.recipient_id, coalesce(any_value(status.recipient_name), ids.recipient_id)
        from ids left join performance_status as status on status.recipient_id = ids.recipient_id
        group by ids.recipient_id order by 1""").fetchall()


def _by_recipient(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """One frame per recipient_id, without that column (it is the packet's own id)."""
    return {key[0]: part.drop("recipient_id") for key, part in frame.partition_by("recipient_id", as_dict=True).items()}


def _folded(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A packet's indicator cells per indicator: the published ones, then one line per group type
    for its suppressed ones, so a coordinator sees the gaps without reading dozens of rows."""
    indicators: dict[str, dict[str, Any]] = {}
    for cell in cells:
        entry = indicators.setdefault(cell["indicator"], {"indicator": cell["indicator"], "published": [],
                                                          "suppressed": {}})
        if cell["suppressed"]:
            entry["suppressed"].setdefault(cell["group_type"], []).append(cell["group_value"])
        else:
            entry["published"].append(cell)
    return [{**entry, "suppressed": [{"group_type": group_type, "values": values}
                                     for group_type, values in entry["suppressed"].items()]}
            for entry in indicators.values()]


def _packet_changes(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The amendment's changes as a packet shows them: a suppressed side keeps only its denominator."""
    changed = changes(con)
    hidden = {side: pl.col(f"suppressed_{side}").fill_null(False) for side in ("before", "after")}
    return changed.with_columns(
        *(pl.when(hidden[side]).then(None).otherwise(pl.col(f"{value}_{side}")).alias(f"{value}_{side}")
          for side in hidden for value in ("numerator", "rate"))
    ).select("recipient_id", "table", "indicator", "group_type", "group_value",
             *(f"{v}_{side}" for v in ("numerator", "denominator", "rate", "suppressed", "meets_level",
                                       "below_90_percent", "improvement_plan_required", "funds_at_risk")
               for side in ("before", "after")))


@dataclass(frozen=True)
class Packet:
    """One recipient's packet: its folder, its tables and the rest of its page."""

    folder: Path
    about: pl.DataFrame
    tables: dict[str, pl.DataFrame]
    page: dict[str, Any]


def write_packet(packet: Packet) -> None:
    """A recipient's workbook and page, in its own folder."""
    packet.folder.mkdir()
    write_workbook(packet.folder / "packet.xlsx", {"about": neutralise_formulas(packet.about), **packet.tables})
    (packet.folder / "index.html").write_text(render("packet.html.j2", {
        **packet.page, "groups": _folded(packet.tables["indicators"].to_dicts()),
        "changes": [],  # an amendment's tables say more
        **{table: frame.to_dicts() for table, frame in packet.tables.items()}}))


PACKETS_PER_PROCESS = 20  # about a second of writing: what starting a process costs


def write_packets(con: duckdb.DuckDBPyConnection, source: ReportSource, folder: Path) -> None:
    """One folder per eligible recipient: its own figures and rows, nothing of another recipient;
    a packet of an amendment opens with the recipient's changes, if it has any (docs/snapshot.md#amendments)."""
    definitions = indicator_definitions()
    whole = {table: _frame(con, sql) for table, sql in PACKET_SQL.items()}
    certified = source.certification()
    if certified is not None and certified["action"] == "amend":
        whole = {"changes": neutralise_formulas(_packet_changes(con)), **whole}
    parts = {table: _by_recipient(frame) for table, frame in whole.items()}
    empty = {table: frame.clear().drop("recipient_id") for table, frame in whole.items()}
    year, words = label(source.year), source.certification_words()
    packets = [
        Packet(folder=folder / _safe_name(recipient_id),
               about=pl.DataFrame({"recipient_id": [recipient_id], "recipient_name": [name],
                                   "school_year": [year], "figures_from": [words]}),
               tables={table: parts[table].get(recipient_id, empty[table]) for table in whole},
               page={"school_year": year, "source": words,
                     "recipient_id": recipient_id, "recipient_name": name, "definitions": definitions})
        for recipient_id, name in _recipients(con)]
    # Writing workbooks is pure Python: one process per core (805 packets at 1.7 M students: 44 s
    # in one). Spawned, not forked: a forked child of a process using Polars' threads can hang.
    # A spawned process takes about a second to start: a small state's packets are written here.
    workers = min(os.cpu_count() or 1, len(packets) // PACKETS_PER_PROCESS)
    if workers < 2:
        for packet in packets:
            write_packet(packet)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(write_packet, packets, chunksize=max(1, len(packets) // (8 * workers))))


def _safe_name(recipient_id: str) -> str:
    """A recipient id as a folder name (ids are codes, but never trust a path from data)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in recipient_id).lstrip(".") or "_"
