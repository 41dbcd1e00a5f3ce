"""Run the Great Expectations suites of expectations/ against one school year's warehouse.

Each suite is GX 1.x suite JSON. Its `meta.batches` names, per batch, the dbt audit model
(dbt_project/models/audit/, built with ref() so the lineage shows what each check reads) whose
rows the batch's expectations see; each expectation's `meta.batch` says which batch it checks
and `meta.level` whether a failure is an `error` (blocks certification) or a `warning`
(reported and recorded). The audit models aggregate in the database (distinct codes, counts,
shares), so GX only ever sees small frames, whatever the size of the state.
"""

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.core.paths import EXPECTATIONS_DIR, DataDir, seed_rows
from pipeline.core.years import label
from pipeline.ingest.schema import EXTRACTS, REFERENCES

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network here, and no telemetry


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    description: str
    level: str
    success: bool
    observed: str


@dataclass
class ExpectationReport:
    school_year: int
    outcomes: list[ExpectationOutcome]
    data_docs: str

    @property
    def failed_errors(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.level == "error"]

    @property
    def failed_warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.level == "warning"]

    def summary(self) -> dict[str, int]:
        return {"passed": sum(o.success for o in self.outcomes),
                "failed_errors": len(self.failed_errors),
                "failed_warnings": len(self.failed_warnings)}

    def to_dict(self) -> dict[str, Any]:
        """As saved beside the reports and in a snapshot's manifest."""
        return {"school_year": self.school_year, "summary": self.summary(), "data_docs": self.data_docs,
                "outcomes": [asdict(o) for o in self.outcomes]}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "ExpectationReport":
        return cls(raw["school_year"], [ExpectationOutcome(**o) for o in raw["outcomes"]], raw["data_docs"])


def listed_values(source: dict[str, str]) -> list[str]:
    """A code list from the one place it is kept, never a copy (`value_set` of a suite):
    `{"extract": "students", "column": "gender"}` its codes in pipeline/ingest/schema.py, or
    `{"seed": "exit_codes", "column": "exit_code", "where": "is_graduate"}` a dbt seed's column,
    optionally only the rows where a boolean column is true (`where`), or whose `filter` column
    holds `equals`."""
    if "extract" in source:
        extracts = {**EXTRACTS, **REFERENCES}
        return list(next(c for c in extracts[source["extract"]].columns if c.name == source["column"]).codes)
    rows = seed_rows(source["seed"])
    if "where" in source:
        rows = [r for r in rows if r[source["where"]] == "true"]
    if "filter" in source:
        rows = [r for r in rows if r[source["filter"]] == source["equals"]]
    return [r[source["column"]] for r in rows]


def load_suites(folder: Path = EXPECTATIONS_DIR) -> list[dict[str, Any]]:
    """The suites, each code list read from where it is kept (listed_values)."""
    suites = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    for expectation in (e for suite in suites for e in suite["expectations"]):
        value_set = expectation["kwargs"].get("value_set")
        if isinstance(value_set, dict):
            expectation["kwargs"]["value_set"] = listed_values(value_set)
    return suites


def results_path(data: DataDir, year: int) -> Path:
    return data.reports(year) / "expectations.json"


def load_results(data: DataDir, year: int) -> ExpectationReport | None:
    """The results of the year's last validation, or None if it was never validated."""
    path = results_path(data, year)
    return ExpectationReport.from_dict(json.loads(path.read_text())) if path.is_file() else None


def run_suites(data: DataDir, year: int, suites: list[dict[str, Any]] | None = None) -> ExpectationReport:
    """Validate every suite's batches, build GX Data Docs, and save the outcomes as JSON."""
    import great_expectations as gx  # slow to import: only when validating
    from great_expectations.core.run_identifier import RunIdentifier

    suites = suites if suites is not None else load_suites()
    context = gx.get_context(mode="file", project_root_dir=str(data.root / "reports" / "gx"))
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_or_update_pandas("ctesnap")
    outcomes, definitions, frames = [], [], {}
    with duckdb.connect(str(data.warehouse_db(year)), read_only=True) as con:
        for suite in suites:
            for batch, model in suite["meta"]["batches"].items():
                name = f"{suite['name']}.{batch}"
                frames[name] = con.execute(f"select * from {model}").df()
                expectations = [e for e in suite["expectations"] if e["meta"]["batch"] == batch]
                definitions.append((name, _validation(context, source, name, expectations)))
    run_time = datetime.now(UTC)
    run_id = RunIdentifier(run_name=f"{label(year)}-{run_time:%Y%m%dT%H%M%S%f}", run_time=run_time)
    for name, definition in definitions:
        result = definition.run(batch_parameters={"dataframe": frames[name]}, run_id=run_id,
                                result_format=_result_format(frames[name]))
        outcomes += [_outcome(name.split(".")[0], r) for r in result.results]
    # Render the suites and this run's results only: re-rendering every stored result (all
    # years, all runs) would make each validation slower than the last.
    this_run = [key for key in context.validation_results_store.list_keys()
                if key.run_id.run_name == run_id.run_name]
    context.build_data_docs(resource_identifiers=[*context.expectations_store.list_keys(), *this_run])
    docs = data.root / "reports" / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    report = ExpectationReport(year, outcomes, docs.relative_to(data.root).as_posix())
    target = results_path(data, year)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report.to_dict(), indent=2))
    return report


def _validation(context: Any, source: Any, name: str, expectations: list[dict[str, Any]]) -> Any:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    suite = context.suites.add_or_update(gx.ExpectationSuite(
        name=name, expectations=[ExpectationConfiguration(**e) for e in expectations]))
    asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
    batch = next((b for b in asset.batch_definitions if b.name == name), None) \
        or asset.add_batch_definition_whole_dataframe(name)
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=suite))


EXPLAIN = "explain"  # a batch column that says in words what a failing row is about


def _result_format(frame: Any) -> dict[str, Any]:
    """Failing rows of a batch with an `explain` column are reported by that column."""
    if EXPLAIN in frame.columns:
        return {"result_format": "COMPLETE", "unexpected_index_column_names": [EXPLAIN]}
    return {"result_format": "SUMMARY"}


def _outcome(suite: str, result: Any) -> ExpectationOutcome:
    config = result.expectation_config
    observed = result.result.get("observed_value")
    explained = [row[EXPLAIN] for row in result.result.get("unexpected_index_list") or [] if EXPLAIN in row]
    if explained:
        observed = "; ".join(explained[:5]) + (f" and {len(explained) - 5} more" if len(explained) > 5 else "")
    elif observed is None and result.result.get("unexpected_count"):
        sample = result.result.get("partial_unexpected_list") or []
        observed = f"{result.result['unexpected_count']} unexpected, e.g. {sample[:5]}"
    return ExpectationOutcome(suite=suite, expectation=config.type,
                              description=config.meta.get("description", config.type),
                              level=config.meta["level"], success=bool(result.success),
                              observed="" if observed is None else str(observed))
