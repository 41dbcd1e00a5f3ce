"""The dbt side of the extract declarations (pipeline/ingest/schema.py), written from them so an extract
kind is declared once: the sources of models/staging/_sources.yml and the extracts() macro.

After adding or renaming a kind: `python -m pipeline.rules.sources`. tests/test_one_place.py fails
while the files differ from what this writes.
"""

import sys
from pathlib import Path

import yaml

from pipeline.core.paths import DBT_PROJECT_DIR
from pipeline.ingest import schema

GENERATED = "Written by `python -m pipeline.rules.sources` from pipeline/ingest/schema.py: edit the declarations there."
SOURCES_HEADER = f"""# {GENERATED}
# Asset keys are derived by the translator (pipeline/rules/assets.py): staged_<table>, reference_<table>.
# Each source is a view over its Parquet files, made when a run starts (register_sources, macros/engine.sql).
"""
# Tables of the `staged` source that are not extract kinds: what the ingest itself writes.
INGEST_TABLES = [
    {"name": "rejected", "description": "Rows the ingest rejected for a missing, unparsable or too long value."},
    {"name": "files", "description": "One row per input file with its size, SHA-256 and rows read."},
]
CERTIFIED = {
    "name": "certified",
    "description": "What earlier certified snapshots say (warehouse/staged/certified/), for "
                   "docs/indicators.md#performance-levels's year count.",
    "tables": [{"name": "performance_status"}],
}


# How each declared column type is staged (pipeline/ingest/read.py), in dbt's words.
DATA_TYPES = {"str": "string", "code": "string", "date": "date", "dec": "double", "int": "integer", "yn": "boolean"}
ROW_COLUMNS = [{"name": "source_file", "data_type": "string"}, {"name": "row_number", "data_type": "bigint"}]


def _tables(extracts: dict[str, schema.Extract], per_year: bool) -> list[dict[str, object]]:
    """A source table per kind the rules read, with its staged columns: the declared ones but the
    personal (never staged), where each row came from and (per-year extracts) its school year."""
    year = [{"name": "school_year", "data_type": "integer"}] if per_year else []
    return [{"name": kind, **({"description": e.description} if e.description else {}),
             "columns": [{"name": c.name, "data_type": DATA_TYPES[c.type]} for c in e.columns
                         if not c.personal] + ROW_COLUMNS + year}
            for kind, e in extracts.items() if e.in_rules]


def sources_yaml() -> str:
    """models/staging/_sources.yml: the staged extracts, the reference lists and earlier certifications."""
    sources = [
        {"name": "staged",
         "description": "Extracts after the ingest's format checks: typed Parquet written by the Dagster ingest "
                        "assets, one folder per school year under the data directory (warehouse/staged/<label>/). "
                        "Their columns are those of pipeline/ingest/schema.py.",
         "tables": _tables(schema.EXTRACTS, per_year=True) + INGEST_TABLES},
        {"name": "reference",
         "description": "The state reference lists, typed by the ingest (warehouse/staged/reference/).",
         "tables": _tables(schema.REFERENCES, per_year=False)},
        CERTIFIED,
    ]
    return SOURCES_HEADER + yaml.safe_dump({"version": 2, "sources": sources}, sort_keys=False, width=110)


def extracts_macro() -> str:
    """macros/extracts.sql: the extracts with rule checks, each with int_<kind>_rejected and int_<kind>_loaded."""
    kinds = ", ".join(f"'{kind}'" for kind, e in schema.EXTRACTS.items() if e.in_rules)
    return (f"{{# {GENERATED}\n"
            "   The extracts with rule checks: each has int_<extract>_rejected and int_<extract>_loaded. #}\n"
            f"{{% macro extracts() %}}\n    {{{{ return([{kinds}]) }}}}\n{{% endmacro %}}\n")


def written_files(project_dir: Path = DBT_PROJECT_DIR) -> dict[Path, str]:
    """Each generated file of a dbt project with the text it should hold."""
    return {project_dir / "models" / "staging" / "_sources.yml": sources_yaml(),
            project_dir / "macros" / "extracts.sql": extracts_macro()}


def write(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Write the generated files of a dbt project; returns those that changed."""
    changed = {path: text for path, text in written_files(project_dir).items()
               if not path.exists() or path.read_text() != text}
    for path, text in changed.items():
        path.write_text(text)
    return list(changed)


def main() -> None:
    changed = write(Path(sys.argv[1]) if len(sys.argv) > 1 else DBT_PROJECT_DIR)
    print("\n".join(f"wrote {path}" for path in changed) or "the dbt sources already match the declarations")


if __name__ == "__main__":
    main()
