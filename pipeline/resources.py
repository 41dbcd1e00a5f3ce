"""Run settings shared by every asset: where the data lives and which rule profile applies."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from pipeline.paths import DataDir
from pipeline.years import parse_year


class CtesnapSettings(dg.ConfigurableResource):
    """The data directory and rule profile of a run (recorded in every run's config)."""

    data_dir: str
    profile: str = "federal"
    # None keeps the default of dbt_project.yml (10).
    suppression_threshold: int | None = None

    @property
    def data(self) -> DataDir:
        return DataDir(Path(self.data_dir).resolve())

    def dbt_vars(self, partition_key: str) -> dict[str, object]:
        year = parse_year(partition_key)
        dbt_vars: dict[str, object] = {
            "school_year": year,
            "rule_profile": self.profile,
            "staged_dir": str(self.data.staged),
            "warehouse_path": str(self.data.warehouse_db(year)),
        }
        if self.suppression_threshold is not None:
            dbt_vars["suppression_threshold"] = self.suppression_threshold
        return dbt_vars


@contextmanager
def warehouse_lock(data: DataDir) -> Iterator[None]:
    """Serialize work on the warehouse: DuckDB allows one writer per file, and the staged
    extracts of a year are read by every later year's models."""
    lock_path = data.root / "warehouse" / ".lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
