"""The December snapshot: certified tables of a school year, frozen as Parquet (SPEC 6).

Write-audit-publish: every file is written into a hidden staging folder beside the target,
checked against its manifest, flushed to disk, made read-only, and published by one atomic
rename. A snapshot is never overwritten; readers never see half of one.
"""

import fcntl
import getpass
import hashlib
import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline import __version__
from pipeline.ingest import sha256_of
from pipeline.paths import PROJECT_ROOT, DataDir
from pipeline.years import label

SNAPSHOT_TABLES = (
    "students", "program_participation", "participants", "concentrators", "cte_graduates",
    "placement_eligibility", "placement_outcomes", "credentials_attained", "perkins_indicators",
    "records_not_added", "credential_review",
)
MANIFEST = "manifest.json"
SELF_HASH = "manifest_sha256"  # guards the manifest itself, as BagIt's tag manifest does


class SnapshotError(Exception):
    """A snapshot that cannot be published; the message is one line for the user."""


@dataclass(frozen=True)
class SnapshotRequest:
    data: DataDir
    year: int
    snapshot_date: date
    profile: str

    @property
    def target(self) -> Path:
        return self.data.snapshots(self.year) / self.snapshot_date.isoformat()


def code_version() -> str:
    """The package version, and the git commit when run from a checkout."""
    try:
        commit = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5, check=True).stdout.strip()
        return f"{__version__}+{commit}"
    except (OSError, subprocess.SubprocessError):
        return __version__


@contextmanager
def _exclusive(request: SnapshotRequest) -> Iterator[None]:
    """One writer per (year, date): a second concurrent certification fails at once."""
    parent = request.target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with (parent / f".{request.snapshot_date.isoformat()}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SnapshotError(
                f"another snapshot of {label(request.year)} on {request.snapshot_date} is being written"
            ) from None
        yield


def _crash_point(name: str) -> None:
    """Where the crash tests kill the process (CTESNAP_CRASH_AT=<name>); a no-op otherwise."""
    if os.environ.get("CTESNAP_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _export_tables(con: duckdb.DuckDBPyConnection, folder: Path) -> list[dict[str, Any]]:
    outputs = []
    for table in SNAPSHOT_TABLES:
        path = folder / f"{table}.parquet"
        # Sorted rows make a certification reproducible byte for byte from the same inputs.
        con.execute(f"copy (select * from {table} order by all) to '{path}' (format parquet)")
        columns = con.execute(f"describe {table}").fetchall()
        rows = con.execute(f"select count(*) from {table}").fetchone()[0]
        outputs.append({"name": path.name, "sha256": sha256_of(path), "rows": rows,
                        "columns": [{"name": c[0], "type": c[1]} for c in columns]})
    return outputs


def _inputs(con: duckdb.DuckDBPyConnection, data: DataDir) -> list[dict[str, Any]]:
    rows = con.execute(
        "select source, source_file, size_bytes, sha256, rows_read, rows_loaded, rows_rejected "
        "from int_input_files_counted order by source_file").fetchall()
    inputs = [dict(zip(("kind", "path", "size", "sha256", "rows_read", "rows_loaded", "rows_rejected"),
                       row, strict=True)) for row in rows]
    reference = json.loads((data.staged / "reference" / "files.json").read_text())["files"]
    inputs += [{"kind": f["kind"], "path": f["path"], "size": f["size"], "sha256": f["sha256"],
                "rows_read": f["rows_read"], "rows_loaded": f["rows_read"], "rows_rejected": 0}
               for f in reference]
    return inputs


def _profile(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    cursor = con.execute("select * from rule_profiles where profile = ?", [name])
    row = cursor.fetchone()
    if row is None:
        raise SnapshotError(f"rule profile '{name}' is not in seeds/rule_profiles.csv")
    names = [d[0] for d in cursor.description]
    return {k: (float(v) if hasattr(v, "as_tuple") else v) for k, v in zip(names, row, strict=True)}


def build_manifest(request: SnapshotRequest, con: duckdb.DuckDBPyConnection,
                   outputs: list[dict[str, Any]], expectations: dict[str, Any]) -> dict[str, Any]:
    return {
        "school_year": label(request.year),
        "school_year_end": request.year,
        "snapshot_date": request.snapshot_date.isoformat(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_by": getpass.getuser(),
        "rule_profile": {"name": request.profile, "parameters": _profile(con, request.profile)},
        "code_version": code_version(),
        "inputs": _inputs(con, request.data),
        "outputs": outputs,
        "expectations": expectations,
    }


def publish(request: SnapshotRequest, expectations: dict[str, Any]) -> Path:
    """Certify the year's current view as a snapshot; return its folder."""
    if expectations["summary"]["failed_errors"]:
        raise SnapshotError(f"{label(request.year)} is not certified: "
                            f"{expectations['summary']['failed_errors']} error expectations failed")
    with _exclusive(request):
        if request.target.exists():
            raise SnapshotError(f"snapshot {request.target.relative_to(request.data.root)} exists already "
                                "and is never overwritten: certify with another --date")
        parent = request.target.parent
        for stale in parent.glob(f".staging-{request.snapshot_date.isoformat()}-*"):
            _remove_read_only(stale)  # left by a certification that was killed part-way
        staging = parent / f".staging-{request.snapshot_date.isoformat()}-{os.getpid()}"
        staging.mkdir()
        _crash_point("staging_created")
        with duckdb.connect(str(request.data.warehouse_db(request.year)), read_only=True) as con:
            outputs = _export_tables(con, staging)
            _crash_point("tables_exported")
            manifest = build_manifest(request, con, outputs, expectations)
        _write_manifest(staging, manifest)
        _crash_point("manifest_written")
        problems = verify(staging)
        if problems:
            raise SnapshotError(f"staged snapshot failed its own audit: {problems[0]}")
        _seal(staging)
        _crash_point("sealed")
        os.rename(staging, request.target)  # atomic: the whole snapshot appears at once
        _crash_point("renamed")
        _fsync(parent)
    return request.target


def _manifest_hash(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's canonical JSON, leaving out the hash itself."""
    content = {k: v for k, v in manifest.items() if k != SELF_HASH}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    manifest = json.loads(json.dumps(manifest, default=str))  # as it will read back
    manifest[SELF_HASH] = _manifest_hash(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def _seal(folder: Path) -> None:
    """Flush every file to disk and make it read-only."""
    for path in folder.iterdir():
        _fsync(path)
        path.chmod(0o444)
    _fsync(folder)
    folder.chmod(0o555)


def _remove_read_only(folder: Path) -> None:
    folder.chmod(0o755)
    shutil.rmtree(folder)


def verify(folder: Path) -> list[str]:
    """Problems with a snapshot folder: a missing, changed or unlisted file. Empty when valid."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [f"{folder}: no {MANIFEST}"]
    try:
        manifest = json.loads(manifest_path.read_text())
        listed = {o["name"]: o["sha256"] for o in manifest["outputs"]}
    except (ValueError, KeyError, TypeError):
        return [f"{MANIFEST} cannot be read"]
    problems = []
    if manifest.get(SELF_HASH) != _manifest_hash(manifest):
        problems.append(f"{MANIFEST} was changed after certification")
    present = {p.name for p in folder.iterdir()} - {MANIFEST}
    problems += [f"{name} is listed but missing" for name in sorted(set(listed) - present)]
    problems += [f"{name} is not listed in the manifest" for name in sorted(present - set(listed))]
    problems += [f"{name} was changed (SHA-256 differs)" for name in sorted(set(listed) & present)
                 if sha256_of(folder / name) != listed[name]]
    return problems


def expose_tables(con: duckdb.DuckDBPyConnection, schema: str, data: DataDir, year: int,
                  snapshot: Path | None) -> None:
    """Views named as the snapshot tables in `schema`: over a snapshot's Parquet files, or
    (snapshot None) over the current view in the year's warehouse."""
    con.execute(f"create schema if not exists {schema}")
    if snapshot is not None:
        sources = {t: f"read_parquet('{snapshot / (t + '.parquet')}')" for t in SNAPSHOT_TABLES}
    else:
        warehouse = data.warehouse_db(year)
        if not warehouse.is_file():
            raise SnapshotError(f"{label(year)} has no current view: materialize it first")
        con.execute(f"attach '{warehouse}' as {schema}_warehouse (read_only)")
        sources = {t: f"{schema}_warehouse.main.{t}" for t in SNAPSHOT_TABLES}
    for table, source in sources.items():
        con.execute(f"create view {schema}.{table} as select * from {source}")


def list_snapshots(data: DataDir, year: int) -> list[Path]:
    folder = data.snapshots(year)
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if folder.is_dir() else []
