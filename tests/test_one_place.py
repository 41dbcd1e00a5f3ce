"""Rules live once: adding an indicator is a row in seeds/indicators.csv plus its facts SQL."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import yaml

from pipeline.core.paths import DBT_PROJECT_DIR
from pipeline.ingest.schema import EXTRACT_KINDS
from pipeline.rules.dbt_project import prepare_manifest

DBT = str(Path(sys.executable).with_name("dbt"))
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


def test_every_extract_kind_of_the_schema_is_a_dbt_source_with_its_rule_models():
    """An extract kind is declared in pipeline/ingest/schema.py; dbt's source list, the extracts() macro and
    the kind's staging and rule models must say the same (issue 21: they were tied by nothing)."""
    sources = yaml.safe_load((DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml").read_text())["sources"]
    staged = {t["name"] for s in sources if s["name"] == "staged" for t in s["tables"]} - {"rejected", "files"}
    assert staged == set(EXTRACT_KINDS)
    assert set(re.findall(r"'(\w+)'", (DBT_PROJECT_DIR / "macros" / "extracts.sql").read_text())) == set(EXTRACT_KINDS)
    models = DBT_PROJECT_DIR / "models"
    for kind in EXTRACT_KINDS:
        for path in (f"staging/stg_staged__{kind}", f"intermediate/extracts/int_{kind}_rejected",
                     f"intermediate/extracts/int_{kind}_loaded"):
            assert (models / f"{path}.sql").is_file() and (models / f"{path}.yml").is_file(), path
