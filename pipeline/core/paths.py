"""Where everything lives under the data directory (docs/inputs.md)."""

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.years import YearError, label, parse_year

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SAMPLE_RAW_DIR = PROJECT_ROOT / "data" / "raw"


def seed_rows(name: str) -> list[dict[str, str]]:
    """The rows of a dbt seed (dbt_project/seeds/<name>.csv), every value as written."""
    with (DBT_PROJECT_DIR / "seeds" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def known_profiles() -> list[str]:
    """The rule profiles: the rows of seeds/rule_profiles.csv (their numbers live there only)."""
    return [row["profile"] for row in seed_rows("rule_profiles")]


def default_data_dir() -> Path:
    return Path(os.environ.get("CTESNAP_DATA_DIR", "data")).resolve()


@dataclass(frozen=True)
class DataDir:
    """The one root the pipeline reads from and writes to."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def reference(self) -> Path:
        return self.raw / "reference"

    def raw_year(self, year: int) -> Path:
        return self.raw / label(year)

    @property
    def staged(self) -> Path:
        """Typed, row-checked extracts as Parquet, one folder per school year."""
        return self.root / "warehouse" / "staged"

    def staged_year(self, year: int) -> Path:
        return self.staged / label(year)

    def warehouse_db(self, year: int) -> Path:
        """One DuckDB file per school year, so years never contend for a lock; each in a folder of
        its year and named alike (profiles.yml says why)."""
        return self.root / "warehouse" / label(year) / "ctesnap.duckdb"

    def spark_dir(self, year: int) -> Path:
        """`--engine spark`: Spark's tables of a school year, and the Parquet it
        hands back (export/), which is loaded into the year's DuckDB file."""
        return self.root / "warehouse" / "spark" / label(year)

    def dbt_target(self, year: int) -> Path:
        """dbt's target folder of a school year: its artifacts, log and last parse, which the next
        run of the year starts from (dbt itself checks vars, profile and file hashes)."""
        return self.root / "dbt" / label(year)

    @property
    def certified_history(self) -> Path:
        """performance_status of the latest snapshot of every certified year (docs/indicators.md#performance-levels)."""
        return self.staged / "certified" / "performance_status.parquet"

    def snapshots(self, year: int) -> Path:
        return self.root / "snapshots" / label(year)

    def reports(self, year: int) -> Path:
        return self.root / "reports" / label(year)

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    def raw_years(self) -> list[int]:
        """School years that have a folder in raw/, oldest first."""
        years = []
        if self.raw.is_dir():
            for child in self.raw.iterdir():
                try:
                    years.append(parse_year(child.name))
                except YearError:
                    continue
        return sorted(years)
