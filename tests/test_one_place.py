"""Rules live once: adding an indicator is a row in seeds/indicators.csv plus its facts SQL; adding an
extract kind is its declaration in pipeline/ingest/schema.py plus its staging and rule models."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import yaml

from pipeline.checks.expectations import load_suites, run_suites
from pipeline.core.paths import DBT_PROJECT_DIR
from pipeline.ingest import schema
from pipeline.ingest.certified import write_certified_history
from pipeline.ingest.read import ingest_reference, ingest_year
from pipeline.ingest.schema import EXTRACT_KINDS
from pipeline.rules import sources
from pipeline.rules.dbt_project import prepare_manifest
from tests.conftest import query

DBT = str(Path(sys.executable).with_name("dbt"))
DUCKDB_TYPES = {"string": "VARCHAR", "date": "DATE", "double": "DOUBLE", "integer": "INTEGER", "boolean": "BOOLEAN",
                "bigint": "BIGINT"}
THROWAWAY_FACTS = """
    union all
    select 'TEST1', {{ student_columns('graduates') }}, graduates.primary_program_code,
           graduates.career_cluster, null, null, graduates.exit_code = 'G'
    from graduates
)
"""


def test_a_throwaway_indicator_takes_a_seed_row_and_its_facts(hand_built, tmp_path):
    data = hand_built("federal")
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    with (project / "seeds" / "indicators.csv").open("a") as seed:
        seed.write("TEST1,99,false,Graduates with a G exit,G exits,CTE graduates of Y,a test,\n")
    facts = project / "models" / "intermediate" / "indicators" / "int_indicator_facts.sql"
    text = facts.read_text()
    cut = text.index("\n)\n\nselect facts.*")
    facts.write_text(text[:cut] + THROWAWAY_FACTS + text[cut + len("\n)\n"):])
    variables = {"school_year": 2025, "staged_dir": str(data.staged), "warehouse_path": str(tmp_path / "w.duckdb"),
                 "suppression_threshold": 1}
    result = subprocess.run([DBT, "build", "--quiet", "--exclude-resource-type", "unit_test",
                             "--vars", json.dumps(variables), "--project-dir", str(project),
                             "--profiles-dir", str(project), "--target-path", str(tmp_path / "target")],
                            capture_output=True, text=True, cwd=project, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute("""select level, recipient_id, numerator, denominator from perkins_indicators
            where indicator = 'TEST1' and group_type = 'all' order by level desc""").fetchall()
    # The hand-built graduates S01, S10, S11 left with G, S04 with W7, S05 with S7 (tests/test_rules.py).
    assert rows == [("state", None, 3, 5), ("recipient", "D1", 3, 5)]


def test_dbt_unit_tests_of_the_rules_pass(hand_built, tmp_path):
    """The dbt unit_tests (rule edge cases on mocked rows, in the models' .yml) run in seconds."""
    data = hand_built("federal")
    variables = {"school_year": 2025, "staged_dir": str(data.staged), "warehouse_path": str(data.warehouse_db(2025))}
    result = subprocess.run([DBT, "test", "--select", "test_type:unit", "--vars", json.dumps(variables),
                             "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                             "--target-path", str(tmp_path / "target")],
                            capture_output=True, text=True, cwd=DBT_PROJECT_DIR, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    unit_tests = len(json.loads(prepare_manifest().read_text())["unit_tests"])
    assert unit_tests >= 7
    # Every unit test, and the two project hooks of macros/engine.sql (nothing to do on DuckDB).
    assert f"PASS={unit_tests + 2} WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL={unit_tests + 2}" in result.stdout
    assert len(re.findall(r"PASS \w+::\w+", result.stdout)) == unit_tests


def test_the_dbt_sources_and_the_extracts_macro_are_written_from_the_declarations():
    """An extract kind is declared once, in pipeline/ingest/schema.py: dbt's sources and the extracts()
    macro are what pipeline/rules/sources.py writes from it, and each kind has its staging and rule models."""
    for path, text in sources.written_files().items():
        assert path.read_text() == text, f"{path.name} differs from the declarations: python -m pipeline.rules.sources"
    models = DBT_PROJECT_DIR / "models"
    for kind in EXTRACT_KINDS:
        for path in (f"staging/stg_staged__{kind}", f"intermediate/extracts/int_{kind}_rejected",
                     f"intermediate/extracts/int_{kind}_loaded"):
            assert (models / f"{path}.sql").is_file() and (models / f"{path}.yml").is_file(), path


def test_the_staged_tables_have_the_columns_the_dbt_sources_declare(hand_built):
    staged = hand_built("federal").staged
    for source in yaml.safe_load(sources.sources_yaml())["sources"]:
        for table in (t for t in source["tables"] if "columns" in t):
            folder = staged / ("2024-25" if source["name"] == "staged" else source["name"])
            found = duckdb.sql(f"describe select * from read_parquet('{folder / table['name']}.parquet')").fetchall()
            assert {(name, kind) for name, kind, *_ in found} == \
                {(c["name"], DUCKDB_TYPES[c["data_type"]]) for c in table["columns"]}, table["name"]


BUS_PASS = schema.Extract("bus_passes", (
    schema.STUDENT_ID, schema.DISTRICT_ID, schema.Column("pass_date", "date", True),
    schema.Column("route", "code", True, codes=("A", "B")),
), optional=True)
BUS_PASS_MODELS = {
    "staging/stg_staged__bus_passes.sql": """
        select cast(school_year as integer) as school_year, student_id, district_id, pass_date, route,
               source_file, row_number
        from {{ source('staged', 'bus_passes') }}
        where school_year <= {{ run_var('school_year') }}""",
    "intermediate/extracts/int_bus_passes_rejected.sql": """
        select passes.school_year, passes.student_id, passes.district_id, passes.source_file, passes.row_number,
            {{ first_failure([("students.student_id is null", "UNKNOWN_STUDENT",
                               "'student_id is not a loaded student of this school year'")]) }}
        from {{ ref('stg_staged__bus_passes') }} as passes
        left join {{ ref('int_students_loaded') }} as students
            on passes.school_year = students.school_year and passes.student_id = students.student_id
        where students.student_id is null""",
    "intermediate/extracts/int_bus_passes_loaded.sql": "select * from {{ without_rejected('bus_passes') }}",
}
BUS_PASS_SUITE = {
    "name": "extract_bus_passes", "meta": {"asset": "int_bus_passes_loaded",
                                           "batches": {"routes": "int_bus_passes_loaded"}},
    "expectations": [
        {"type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "route", "value_set": {"extract": "bus_passes", "column": "route"}},
         "meta": {"batch": "routes", "level": "error", "description": "route holds only listed codes"}},
        {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 5},
         "meta": {"batch": "routes", "level": "warning", "description": "five passes (one is)"}},
    ],
}


def test_a_throwaway_extract_kind_takes_its_declaration_and_its_rule_models(fixture_dir, tmp_path, monkeypatch):
    """Issue 21: a new kind is its declaration plus its rule models; the ingest stages it, the dbt
    sources and records_not_added take it in, and an expectation suite reads its code list."""
    monkeypatch.setitem(schema.EXTRACTS, "bus_passes", BUS_PASS)
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    assert {p.name for p in sources.write(project)} == {"_sources.yml", "extracts.sql"}
    for path, sql in BUS_PASS_MODELS.items():
        (project / "models" / path).write_text(sql)
    data = fixture_dir
    (data.raw_year(2025) / "bus_passes.csv").write_text(
        "student_id,district_id,pass_date,route\nS01,D1,2024-10-01,A\nS02,D1,2024-10-02,Z\nS98,D1,2024-10-03,B\n")
    ingest_reference(data)
    for year in (2023, 2024, 2025):
        ingest_year(data, year)
    write_certified_history(data, 2025)
    data.warehouse_db(2025).parent.mkdir(parents=True, exist_ok=True)
    variables = {"school_year": 2025, "staged_dir": str(data.staged), "warehouse_path": str(data.warehouse_db(2025))}
    result = subprocess.run([DBT, "build", "--quiet", "--exclude-resource-type", "unit_test", "--select",
                             "+records_not_added +int_bus_passes_loaded", "--vars", json.dumps(variables),
                             "--project-dir", str(project), "--profiles-dir", str(project),
                             "--target-path", str(tmp_path / "target")],
                            capture_output=True, text=True, cwd=project, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert query(data, 2025, "select student_id, route from int_bus_passes_loaded") == [("S01", "A")]
    assert query(data, 2025, """select row_number, student_id, reason_code, reason, recipient_id
        from records_not_added where source = 'bus_passes' order by row_number""") == [
        (3, "S02", "BAD_VALUE", "route 'Z' is not one of A, B", "D1"),
        (4, "S98", "UNKNOWN_STUDENT", "student_id is not a loaded student of this school year", "D1")]
    suites = tmp_path / "expectations"
    suites.mkdir()
    (suites / "extract_bus_passes.json").write_text(json.dumps(BUS_PASS_SUITE))
    outcomes = run_suites(data, 2025, load_suites(suites)).outcomes
    assert [(o.suite, o.description, o.success) for o in outcomes] == [
        ("extract_bus_passes", "route holds only listed codes", True),
        ("extract_bus_passes", "five passes (one is)", False)]
