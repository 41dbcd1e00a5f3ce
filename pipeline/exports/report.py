"""The review report accountability staff sign off on: one HTML page per school year.

Templating is Jinja2 (templates/review.html.j2), charts are matplotlib SVG inlined in the page
(no script, no network), exports are written with Polars.
"""

import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import matplotlib
import polars as pl

from pipeline.checks.expectations import ExpectationReport, load_results
from pipeline.core.paths import DBT_PROJECT_DIR, DataDir
from pipeline.core.workbooks import write_csv, write_workbook
from pipeline.core.years import label
from pipeline.snapshot.publish import MANIFEST, built_settings, expose_tables

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

ROWS_SHOWN = 2000  # the page lists this many rejected rows; the exports hold them all
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INDICATORS_SEED = DBT_PROJECT_DIR / "seeds" / "indicators.csv"


def indicator_definitions() -> dict[str, dict[str, Any]]:
    """seeds/indicators.csv, in display order: the one list of indicators."""
    rows = pl.read_csv(INDICATORS_SEED, infer_schema=False).sort(pl.col("display_order").cast(pl.Int32))
    return {row["indicator"]: row for row in rows.iter_rows(named=True)}


def _number(value: Any) -> str:
    """Counts with thousands separators; credits with up to two decimals."""
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{float(value):,.2f}"


_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("pipeline.exports", "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_templates.filters["number"] = _number


def render(template: str, context: dict[str, Any]) -> str:
    """A page of templates/ with every value escaped."""
    return _templates.get_template(template).render(**context)


@dataclass(frozen=True)
class ReportSource:
    """Where the tables come from: the current view, or a certified snapshot."""

    data: DataDir
    year: int
    snapshot: Path | None = None

    @property
    def title(self) -> str:
        return f"snapshot of {self.snapshot.name}" if self.snapshot else "current view"

    def connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        expose_tables(con, "main", self.data, self.year, self.snapshot)
        return con

    def settings(self) -> dict[str, Any]:
        return built_settings(self.data, self.year, self.snapshot)

    def certification(self) -> dict[str, Any] | None:
        """The snapshot's certification (docs/snapshot.md#amendments): number, action, supersedes, ...; None for the
        current view or a snapshot certified before the log existed."""
        if self.snapshot is None:
            return None
        return json.loads((self.snapshot / MANIFEST).read_text()).get("certification")

    def certification_words(self) -> str:
        """How exports name where their figures come from: `certification 2 of 2025-12-20,
        superseding 2025-12-05`, or the source's title."""
        certified = self.certification()
        if certified is None:
            return self.title
        words = f"certification {certified['number']} of {self.snapshot.name}"
        return words + (f", superseding {certified['supersedes']}" if certified["supersedes"] else "")

    def expectations(self) -> ExpectationReport | None:
        if self.snapshot:
            return ExpectationReport.from_dict(json.loads((self.snapshot / MANIFEST).read_text())["expectations"])
        return load_results(self.data, self.year)


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells a spreadsheet would run as a formula with an apostrophe."""
    text_columns = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(_neutralised(c) for c in text_columns)


def _neutralised(column: str) -> pl.Expr:
    risky = pl.any_horizontal([pl.col(column).str.starts_with(s) for s in FORMULA_STARTS])
    return pl.when(risky).then(pl.lit("'") + pl.col(column)).otherwise(pl.col(column)).alias(column)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def svg_of(figure: Any) -> str:
    """A matplotlib figure as inline SVG, closed after."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _rates_chart(cells: list[dict[str, Any]], title: str, label_column: str = "group_value") -> str:
    """Horizontal bars of rates; a suppressed cell is drawn as an empty, labelled slot."""
    figure, axes = plt.subplots(figsize=(7, 0.45 * max(len(cells), 2) + 0.8))
    names = [str(c[label_column]) for c in cells]
    rates = [0 if c["rate"] is None else float(c["rate"]) for c in cells]
    bars = axes.barh(names, rates, color="#2b6cb0")
    for bar, cell in zip(bars, cells, strict=True):
        text = "suppressed" if cell["suppressed"] else f"{float(cell['rate'] or 0):.1f}%"
        axes.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
    axes.set_xlim(0, 115)
    axes.invert_yaxis()
    axes.set_title(title, fontsize=10)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(100))
    return svg_of(figure)


def _prior_year_counts(data: DataDir, year: int) -> dict[str, int]:
    """Participants and concentrators of Y-1 under the same rules, from Y's own warehouse (its
    models cover every year up to Y), so no other year's build or profile is mixed in."""
    warehouse = data.warehouse_db(year)
    if not warehouse.is_file():
        return {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute(f"""
            select 'PARTICIPANTS', count(*) from int_participants_identified where school_year = {year - 1}
            union all
            select 'CONCENTRATORS', count(*) from int_concentrators_identified where school_year = {year - 1}
            """).fetchall())


def _program_names(data: DataDir) -> dict[str, str]:
    programs = data.staged / "reference" / "programs.parquet"
    if not programs.is_file():
        return {}
    return dict(pl.read_parquet(programs, columns=["program_code", "program_name"]).iter_rows())


def _cluster_order(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Career clusters in numeric order (1, 2, ..., 16), other groups as they come."""
    return sorted(cells, key=lambda c: int(c["group_value"])) if cells and cells[0]["group_type"] == "career_cluster" \
        else cells


# How much of the 3S1 cohort the survey and the records know about (docs/placement-records.md): per recipient, and
# for the state (recipient_id null).
PLACEMENT_REACH_SQL = """
    select recipient_id, count(*) as cohort, count(case when status_known then 1 end) as status_known,
           count(case when responded then 1 end) as surveyed,
           count(case when placement_source in ('nsc', 'military', 'service', 'wage') then 1 end)
               as placed_from_records,
           count(case when placement_source = 'survey' then 1 end) as placed_from_survey
    from placement_outcomes
    group by grouping sets ((recipient_id), ())"""


def build_context(source: ReportSource) -> dict[str, Any]:
    definitions = indicator_definitions()
    names = _program_names(source.data)
    with source.connect() as con:
        indicators = _rows(con, """select * from perkins_indicators where level = 'state'
                                   order by indicator, group_type, group_value""")
        current = {i["indicator"]: i["numerator"] for i in indicators if i["group_type"] == "all"}
        prior = _prior_year_counts(source.data, source.year)
        by_indicator: dict[str, dict[str, list[dict[str, Any]]]] = {k: {} for k in definitions}
        for cell in indicators:
            by_indicator.setdefault(cell["indicator"], {}).setdefault(cell["group_type"], []).append(cell)
        by_indicator = {k: {g: _cluster_order(c) for g, c in v.items()} for k, v in by_indicator.items() if v}
        rates = [c for c in indicators
                 if c["group_type"] == "all" and definitions[c["indicator"]]["is_count"] != "true"]
        overall = sorted(rates, key=lambda c: int(definitions[c["indicator"]]["display_order"]))
        charts = {"overall": _rates_chart(overall, "All students: rate by indicator", "indicator")}
        for name, groups in by_indicator.items():
            if "race_ethnicity" in groups:
                charts[name] = _rates_chart(groups["race_ethnicity"], f"{name} by race/ethnicity")
        return {
            "school_year": label(source.year),
            "source": source.title,
            "settings": source.settings(),
            "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "expectations": source.expectations(),
            "rejected_summary": _rows(con, """
                select source_file, reason_code, any_value(reason) as example, count(*) as rows
                from records_not_added group by source_file, reason_code order by source_file, rows desc"""),
            "rejected_total": con.execute("select count(*) from records_not_added").fetchone()[0],
            "rejected_rows": _rows(con, f"""select source_file, row_number, student_id, reason_code, reason
                from records_not_added order by source_file, row_number limit {ROWS_SHOWN}"""),
            "rows_shown": ROWS_SHOWN,
            "credential_summary": _rows(con, """select reason_code, count(*) as rows
                from credential_review group by reason_code order by rows desc"""),
            "credential_rows": _rows(con, f"""select student_id, credential_code, exam_date, reason_code, reason
                from credential_review order by student_id, exam_date limit {ROWS_SHOWN}"""),
            "year_over_year": [{"indicator": k, "current": current.get(k), "prior": prior.get(k)}
                               for k in ("PARTICIPANTS", "CONCENTRATORS")],
            "programs": [{**p, "program_name": names.get(p["program_code"], "")} for p in _program_summary(con)],
            "recipients": _rows(con, """
                select recipient_id, recipient_name, indicator, rate, performance_level, level_source,
                       meets_level, below_90_percent, consecutive_years_below_90, funds_at_risk, denominator
                from performance_status where level = 'recipient'
                order by bool_or(improvement_plan_required) over (partition by recipient_id) desc,
                         recipient_id, indicator"""),
            "placement": next((r for r in _rows(con, PLACEMENT_REACH_SQL) if r["recipient_id"] is None), None),
            "definitions": definitions,
            "by_indicator": by_indicator,
            "charts": charts,
        }


def _program_summary(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Participants and concentrators by program, the total first (as the state portal shows)."""
    return _rows(con, """
        with per_program as (
            select program_code,
                   count(distinct student_id) filter (where is_participant) as participants,
                   sum(credits_earned_year) as credits_earned_year
            from program_participation group by program_code
        ),
        primary_programs as (
            select primary_program_code as program_code, count(*) as concentrators,
                   count(*) filter (where student_id in (select student_id from cte_graduates)) as graduates
            from concentrators group by 1
        ),
        joined as (
            select coalesce(p.program_code, c.program_code) as program_code,
                   coalesce(p.participants, 0) as participants, coalesce(c.concentrators, 0) as concentrators,
                   coalesce(c.graduates, 0) as graduates, coalesce(p.credits_earned_year, 0) as credits
            from per_program p full outer join primary_programs c using (program_code)
        )
        select 'All programs' as program_code,
               (select count(*) from participants) as participants,
               (select count(*) from concentrators) as concentrators,
               (select count(*) from cte_graduates) as graduates,
               (select coalesce(sum(credits), 0) from joined) as credits, 0 as sort_key
        union all
        select program_code, participants, concentrators, graduates, credits, 1 from joined
        order by sort_key, program_code""")


EXPORTS = {
    "records_not_added": "select * from records_not_added order by source_file, row_number",
    "indicators": "select * from perkins_indicators order by level, recipient_id nulls first, indicator, "
                  "group_type, group_value",
}


def write_exports(source: ReportSource, folder: Path) -> list[Path]:
    """The review's tables as CSV and XLSX beside the page, formulas neutralised."""
    written = []
    with source.connect() as con:
        for name, sql in EXPORTS.items():
            safe = neutralise_formulas(con.sql(sql).pl())
            csv_path, xlsx_path = folder / f"{name}.csv", folder / f"{name}.xlsx"
            write_csv(csv_path, safe)
            write_workbook(xlsx_path, {name: safe})
            written += [csv_path, xlsx_path]
    return written


def write_report(source: ReportSource) -> Path:
    """Write the review page and its exports; return the page's path."""
    suffix = f"-snapshot-{source.snapshot.name}" if source.snapshot else ""
    folder = source.data.reports(source.year) / f"review{suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "review.html"
    page.write_text(render("review.html.j2", build_context(source)))
    write_exports(source, folder)
    return page
