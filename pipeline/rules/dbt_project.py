"""The dbt project and its manifest, parsed as the first step of every `ctesnap` run and when
`dagster dev` loads the code location; importing the assets never parses."""

import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from pipeline.core.paths import DBT_PROJECT_DIR

os.environ.setdefault("DBT_USE_COLORS", "false")  # dbt's lines go to log files, where colour codes are noise
# dagster-dbt builds the Spark adapter in process; pyspark then warns about pandas 3 on stderr,
# which users of --engine spark cannot act on (the models use no pandas on Spark).
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

PARTIAL_PARSE = "partial_parse.msgpack"  # where dbt keeps its parse in a target folder

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

# dbt as a child that dies with its run (pipeline/rules/dbt_process.py), installed beside this Python so
# a venv works without being activated.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("ctesnap-dbt")) \
    if Path(sys.executable).with_name("ctesnap-dbt").exists() else shutil.which("ctesnap-dbt") or "ctesnap-dbt"


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def _newest_source_mtime(project_dir: Path) -> float:
    files = [project_dir / "dbt_project.yml", *project_dir.glob("**/*.sql"), *project_dir.glob("**/*.yml"),
             *project_dir.glob("seeds/*.csv")]
    return max(f.stat().st_mtime for f in files if "target" not in f.relative_to(project_dir).parts)


def prepare_manifest() -> Path:
    """Parse the project when its manifest is missing or older than a model, seed or macro.

    Called before the definitions load (the dbt assets are read from the manifest). A deployment
    prepares it at build time instead: `dagster-dbt project prepare-and-package`.
    """
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(dbt_project.project_dir):
        # Parsed beside it and swapped in whole: two commands starting at once never read half a file.
        manifest.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".parse-", dir=manifest.parent))
        try:
            dbt_resource().cli(["parse", "--quiet"], target_path=scratch).wait()
            os.replace(scratch / PARTIAL_PARSE, manifest.with_name(PARTIAL_PARSE))
            os.replace(scratch / "manifest.json", manifest)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return manifest


def with_last_parse(target: Path) -> Path:
    """A dbt target folder for a run, starting from the install's parse when it has none of its own.

    dbt re-reads only what changed since the parse it finds in its target folder, and checks that
    the parse fits the command (dbt version, vars, project files); the run parameters are not vars
    (macros/run_var.sql), so the install's parse fits every school year and data directory.
    """
    target.mkdir(parents=True, exist_ok=True)
    shared = dbt_project.manifest_path.with_name(PARTIAL_PARSE)
    if not (target / PARTIAL_PARSE).exists() and shared.exists():
        shutil.copyfile(shared, target / PARTIAL_PARSE)
    return target


# What dagster-dbt's `prepare_if_dev` does, with the dbt beside this Python (it looks on PATH only).
if dbt_project.preparer.using_dagster_dev():
    prepare_manifest()
