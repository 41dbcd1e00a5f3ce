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

from pipeline.expectations import ExpectationReport, load_results
from pipeline.paths import DataDir
from pipeline.snapshot import MANIFEST, expose_tables
from pipeline.years import label

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

ROWS_SHOWN = 2000  # the page lists this many rejected rows; the exports hold them all
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INDICATOR_NAMES = {
    "PARTICIPANTS": "Participants", "CONCENTRATORS": "Concentrators",
    "1S1": "1S1 CTE graduates among concentrators exiting",
    "3S1": "3S1 Post-program placement", "4S1": "4S1 Non-traditional program concentration",
    "5S1": "5S1 Recognized postsecondary credential", "5S3": "5S3 Work-based learning",
}

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("pipeline", "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined,
)


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


def _svg(figure: Any) -> str:
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
        text = "suppressed" if cell["suppressed"] else f"{float(cell['rate'] or 0):.1%}"
        axes.text(bar.get_width() + 0.01, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
    axes.set_xlim(0, 1.15)
    axes.invert_yaxis()
    axes.set_title(title, fontsize=10)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    return _svg(figure)


def _prior_year_counts(data: DataDir, year: int) -> dict[str, int]:
    warehouse = data.warehouse_db(year - 1)
    if not warehouse.is_file():
        return {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select indicator, coalesce(numerator, 0) from perkins_indicators "
                                "where group_type = 'all'").fetchall())


def build_context(source: ReportSource) -> dict[str, Any]:
    with source.connect() as con:
        indicators = _rows(con, "select * from perkins_indicators order by indicator, group_type, group_value")
        current = {i["indicator"]: i["numerator"] for i in indicators if i["group_type"] == "all"}
        prior = _prior_year_counts(source.data, source.year)
        by_indicator: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for cell in indicators:
            by_indicator.setdefault(cell["indicator"], {}).setdefault(cell["group_type"], []).append(cell)
        charts = {"overall": _rates_chart(
            [c for c in indicators if c["group_type"] == "all"], "All students: rate by indicator", "indicator")}
        for name, groups in by_indicator.items():
            if "race_ethnicity" in groups:
                charts[name] = _rates_chart(groups["race_ethnicity"], f"{name} by race/ethnicity")
        return {
            "school_year": label(source.year),
            "source": source.title,
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
                               for k in ("PARTICIPANTS", "CONCENTRATORS", "1S1", "3S1", "5S1", "5S3")],
            "programs": _program_summary(con),
            "indicator_names": INDICATOR_NAMES,
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


def write_exports(source: ReportSource, folder: Path) -> list[Path]:
    with source.connect() as con:
        frame = (con.sql("select * from records_not_added order by source_file, row_number")
                              .pl())
    safe = neutralise_formulas(frame)
    csv_path, xlsx_path = folder / "records_not_added.csv", folder / "records_not_added.xlsx"
    safe.write_csv(csv_path)
    safe.write_excel(xlsx_path, worksheet="records_not_added", autofit=False)
    return [csv_path, xlsx_path]


def write_report(source: ReportSource) -> Path:
    """Write the review page and its exports; return the page's path."""
    suffix = f"-snapshot-{source.snapshot.name}" if source.snapshot else ""
    folder = source.data.reports(source.year) / f"review{suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "review.html"
    page.write_text(_templates.get_template("review.html.j2").render(**build_context(source)))
    write_exports(source, folder)
    return page
