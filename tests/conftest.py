"""Shared fixtures: the hand-built state materialized through the real Dagster job."""

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.core.paths import SAMPLE_RAW_DIR, DataDir
from pipeline.runner import execute
from tests.fixtures import write_fixture

# The suite runs on two workers (pytest-xdist, dev.sh). Test files that share a session fixture
# form one group, run by one worker, so each fixture is built once; the two longest groups go
# first, one per worker, and the others follow in file order to whichever worker is free.
GROUPS = {"test_compare": "generated", "test_edfi": "generated", "test_spark": "generated",
          "test_cli": "sample_certified", "test_schedule": "sample_certified",
          "test_rules": "hand_built", "test_one_place": "hand_built", "test_expectations": "hand_built",
          "test_identical::test_the_bundled_sample_certifies_the_tables_on_record": "sample_certified",
          "test_identical::test_a_generated_state_certifies_the_tables_on_record": "generated"}
LONGEST = ("generated", "sample_certified")


def _group(nodeid: str) -> str:
    """A test's group: GROUPS names it by `module::test` or by module; else its module is its own group."""
    path, _, test = nodeid.partition("::")
    module = path.rsplit("/", 1)[-1].removesuffix(".py")
    return GROUPS.get(f"{module}::{test.split('[', 1)[0]}", GROUPS.get(module, module))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class ByFixtureGroup(LoadScopeScheduling):
        """pytest-xdist's scope scheduling, a scope being a group of GROUPS (or a file)."""

        def _split_scope(self, nodeid: str) -> str:
            return _group(nodeid)

    return ByFixtureGroup(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {group: index for index, group in enumerate(LONGEST)}
    items.sort(key=lambda item: rank.get(_group(item.nodeid), len(LONGEST)))


THRESHOLD_ONE = {"resources": {"ctesnap": {"config": {"suppression_threshold": 1}}}}
CTESNAP = str(Path(sys.executable).with_name("ctesnap"))


def ctesnap(data: DataDir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CTESNAP, "--data-dir", str(data.root), *args], capture_output=True, text=True,
                          timeout=900)


def copy_of_sample(root: Path) -> DataDir:
    """A data directory holding a copy of the bundled sample extracts."""
    data = DataDir(root)
    shutil.copytree(SAMPLE_RAW_DIR, data.raw)
    return data


@pytest.fixture(scope="session")
def sample_certified(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The bundled sample's 2024-25, certified alone on 2025-12-05 under a profile (once per profile):
    the snapshot folder other runs of the same data are compared with."""
    certified: dict[str, Path] = {}

    def certify(profile: str) -> Path:
        if profile not in certified:
            data = copy_of_sample(tmp_path_factory.mktemp(f"sample-{profile}"))
            result = ctesnap(data, "snapshot", "--year", "2024-25", "--date", "2025-12-05", "--profile", profile)
            assert result.returncode == 0, result.stderr
            certified[profile] = data.snapshots(2025) / "2025-12-05"
        return certified[profile]

    return certify


class GeneratedState:
    """A generated state (1,500 students, 2023-24 and 2024-25, 1% errors) written once as CSV
    extracts and once as Ed-Fi resources; each (format, profile) is certified once, in a data
    directory of its own (a year is certified under one profile: SPEC 12)."""

    DAYS = {"federal": "2025-12-05", "az": "2025-12-06", "wi": "2025-12-07"}

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = {output_format: DataDir(root / output_format) for output_format in ("csv", "edfi")}
        for output_format, data in self.data.items():
            subprocess.run([CTESNAP, "--data-dir", str(data.root), "generate", "--students", "1500", "--years",
                            "2023-24..2024-25", "--seed", "5", "--format", output_format],
                           check=True, capture_output=True)
        self._certified: set[tuple[str, str]] = set()

    def certified_data(self, output_format: str, profile: str) -> DataDir:
        """The data directory in which the state of that format is certified under that profile."""
        return DataDir(self.root / f"{output_format}-{profile}")

    def snapshots(self, *pairs: tuple[str, str]) -> dict[tuple[str, str], Path]:
        """The snapshot folder of each (format, profile); those not certified yet are, all at once."""
        runs = {}
        for output_format, profile in pairs:
            if (output_format, profile) in self._certified:
                continue
            data = self.certified_data(output_format, profile)
            shutil.copytree(self.data[output_format].raw, data.raw)
            runs[output_format, profile] = subprocess.Popen(
                [CTESNAP, "--data-dir", str(data.root), "snapshot", "--year", "2024-25", "--date", self.DAYS[profile],
                 "--profile", profile], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for pair, run in runs.items():
            _, err = run.communicate(timeout=900)
            assert run.returncode == 0, (pair, err)
            self._certified.add(pair)
        return {(f, p): self.certified_data(f, p).snapshots(2025) / self.DAYS[p] for f, p in pairs}


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GeneratedState:
    return GeneratedState(tmp_path_factory.mktemp("generated"))


def sorted_rows(source: Path, table: str) -> list[tuple[Any, ...]]:
    """Every row of a table, sorted: from a snapshot folder's Parquet file or from a warehouse file."""
    if source.is_dir():
        return duckdb.sql(f"select * from read_parquet('{source / table}.parquet') order by all").fetchall()
    with duckdb.connect(str(source), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()


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
