"""Run settings shared by every asset: where the data lives and which rule profile applies."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import dagster as dg

from pipeline.core.locks import file_lock
from pipeline.core.paths import DataDir
from pipeline.core.version import code_version
from pipeline.core.years import parse_year


class CtesnapSettings(dg.ConfigurableResource):
    """The data directory and rule profile of a run (recorded in every run's config)."""

    data_dir: str
    profile: str = "federal"
    # None keeps the default of dbt_project.yml (10).
    suppression_threshold: int | None = None
    # Where dbt runs the models: `duckdb` (the year's DuckDB file) or `spark` (dbt-spark in session
    # mode, its tables handed back as Parquet and loaded into the same DuckDB file).
    engine: str = "duckdb"

    @property
    def data(self) -> DataDir:
        return DataDir(Path(self.data_dir).resolve())

    def dbt_parameters(self, partition_key: str, warehouse: Path | None = None) -> dict[str, str | None]:
        """The run's parameters as dbt reads them (dbt_project/macros/run_var.sql): environment
        variables, None for one left at its default."""
        year = parse_year(partition_key)
        parameters = {
            "school_year": year,
            "rule_profile": self.profile,
            "staged_dir": self.data.staged,
            "warehouse_dir": (warehouse or self.data.warehouse_db(year)).parent,  # pipeline/rules/dbt_process.py
            "code_version": code_version(),
            "suppression_threshold": self.suppression_threshold,
            "spark_dir": self.data.spark_dir(year) if self.engine == "spark" else None,
        }
        return {f"CTESNAP_{name.upper()}": None if value is None else str(value) for name, value in parameters.items()}

    @property
    def dbt_target(self) -> list[str]:
        """The dbt target of the engine (profiles.yml): DuckDB is the default one."""
        return ["--target", "spark"] if self.engine == "spark" else []


@contextmanager
def dbt_environment(parameters: dict[str, str | None]) -> Iterator[None]:
    """The run's parameters in this process's environment while the dbt commands started inside
    run (dagster-dbt hands its environment to dbt); the environment as it was after."""
    saved = {name: os.environ.get(name) for name in parameters}
    _set_environment(parameters)
    try:
        yield
    finally:
        _set_environment(saved)


def _set_environment(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextmanager
def warehouse_lock(data: DataDir) -> Iterator[None]:
    """Serialize work on the warehouse: DuckDB allows one writer per file, and the staged
    extracts of a year are read by every later year's models."""
    with file_lock(data.root / "warehouse" / ".lock", f"process {os.getpid()}", on_wait=_ignore):
        yield


def _ignore(_: str) -> None:
    return None


@contextmanager
def run_lock(data: DataDir, what: str, notify: Callable[[str], None]) -> Iterator[None]:
    """One run at a time per data directory, for the whole run (docs/snapshot.md): a run reads and
    writes the staged extracts of every year up to its own, and a snapshot must hold the tables
    its own run built. A second run says what it waits for, then waits; a run that finds the
    lock of a killed one says so and takes it over."""
    path = data.root / "warehouse" / ".run.lock"
    if path in _HELD:  # a run of this process does this work (a comparison run as a Dagster job)
        yield
        return
    holder = f"the {what} run started at {datetime.now():%H:%M:%S} (process {os.getpid()})"
    with file_lock(path, holder, on_wait=lambda other: notify(f"waiting for {other} to finish"),
                   on_stale=lambda dead: notify(f"{dead} did not finish (it was stopped or killed); "
                                                "its lock is taken over")):
        _HELD.add(path)
        try:
            yield
        finally:
            _HELD.discard(path)


_HELD: set[Path] = set()  # run locks this process holds: a flock is not re-entrant within a process
