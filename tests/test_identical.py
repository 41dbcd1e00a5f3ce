"""Every snapshot table of the bundled sample and of a generated state is the one on record
(tests/snapshot_fingerprints.json): a move, a refactoring or a speed-up that changes a single value
of a certified table fails here, naming the table. A change that is meant to alter the tables
records them anew with CTESNAP_RECORD_FINGERPRINTS=1 and says why in its commit."""

import hashlib
import json
import os
from pathlib import Path

import duckdb

from tests.conftest import sorted_rows

ON_RECORD = Path(__file__).with_name("snapshot_fingerprints.json")


def fingerprints(folder: Path) -> dict[str, dict[str, object]]:
    """Per table of a snapshot folder: its columns with their types, its row count and the SHA-256
    of its rows in sorted order."""
    tables = {}
    for path in sorted(folder.glob("*.parquet")):
        columns = duckdb.sql(f"select column_name, column_type from (describe select * from read_parquet('{path}'))"
                             ).fetchall()
        rows = sorted_rows(folder, path.stem)
        digest = hashlib.sha256("\n".join(map(repr, rows)).encode()).hexdigest()
        tables[path.stem] = {"columns": ", ".join(f"{name} {kind}" for name, kind in columns), "rows": len(rows),
                             "sha256": digest}
    return tables


def assert_on_record(name: str, folder: Path) -> None:
    record = json.loads(ON_RECORD.read_text()) if ON_RECORD.exists() else {}
    found = fingerprints(folder)
    if os.environ.get("CTESNAP_RECORD_FINGERPRINTS") == "1":
        record[name] = found
        ON_RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    changed = sorted(t for t in found.keys() | record[name].keys() if found.get(t) != record[name].get(t))
    assert not changed, f"{name}: tables differ from those on record: {changed}"


PROFILES = ("federal", "az", "wi")


def test_the_bundled_sample_certifies_the_tables_on_record(sample_certified):
    for profile in PROFILES:
        assert_on_record(f"sample 2024-25 {profile}", sample_certified(profile))


def test_a_generated_state_certifies_the_tables_on_record(generated):
    folders = generated.snapshots(*(("csv", profile) for profile in PROFILES))
    for (output_format, profile), folder in folders.items():
        assert_on_record(f"generated {output_format} 2024-25 {profile}", folder)
