"""Shared fixtures: the hand-built state materialized through the real Dagster job."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.paths import DataDir
from pipeline.runner import execute
from tests.fixtures import write_fixture

THRESHOLD_ONE = {"resources": {"ctesnap": {"config": {"suppression_threshold": 1}}}}


def materialize(data: DataDir, year: int, profile: str = "federal", run_config: dict[str, Any] | None = None
                ) -> None:
    outcome = execute(data, "school_year", year, profile, run_config or {})
    assert outcome.failure is None, outcome.failure


def query(data: DataDir, year: int, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(data.warehouse_db(year)), read_only=True) as con:
        return con.execute(sql).fetchall()


def built_per_profile(tmp_path_factory: pytest.TempPathFactory, name: str, write: Callable[[Path], None]
                      ) -> Callable[[str], DataDir]:
    """A hand-built state, materialized for 2024-25 once per profile (suppression at 1)."""
    built: dict[str, DataDir] = {}

    def build(profile: str) -> DataDir:
        if profile not in built:
            data = DataDir(tmp_path_factory.mktemp(f"{name}-{profile}"))
            write(data.root)
            materialize(data, 2025, profile, THRESHOLD_ONE)
            built[profile] = data
        return built[profile]

    return build


@pytest.fixture(scope="session")
def hand_built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], DataDir]:
    """The hand-built state of tests/fixtures.py."""
    return built_per_profile(tmp_path_factory, "hand", write_fixture)


def ids(data: DataDir, table: str, year: int = 2025) -> set[str]:
    return {row[0] for row in query(data, year, f"select student_id from {table}")}


@pytest.fixture
def fixture_dir(tmp_path: Path) -> DataDir:
    data = DataDir(tmp_path / "data")
    write_fixture(data.root)
    return data
