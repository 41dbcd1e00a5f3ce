"""The dbt project, built once, with a manifest prepared for the UI, the CLI and the tests."""

from pathlib import Path

from dagster_dbt import DbtProject

from pipeline.paths import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_source_mtime(project_dir: Path) -> float:
    files = [project_dir / "dbt_project.yml", *project_dir.glob("**/*.sql"), *project_dir.glob("**/*.yml"),
             *project_dir.glob("seeds/*.csv")]
    return max(f.stat().st_mtime for f in files if "target" not in f.parts)


def ensure_manifest() -> Path:
    """Parse the project when its manifest is missing or older than a model, seed or macro.

    `prepare_if_dev` only acts under `dagster dev`; the CLI and tests need the same manifest.
    """
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(dbt_project.project_dir):
        dbt_project.preparer.prepare(dbt_project)
    return manifest
