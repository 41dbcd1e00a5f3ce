"""The December snapshot: certified tables of a school year, frozen as Parquet (docs/snapshot.md).

Write-audit-publish: every file is written into a hidden staging folder beside the target,
checked against its manifest, flushed to disk, made read-only, and published by one atomic
rename. A snapshot is never overwritten; readers never see half of one.
"""

import getpass
import hashlib
import importlib.metadata
import json
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.core import certification
from pipeline.core.locks import LockBusy, file_lock
from pipeline.core.paths import DataDir
from pipeline.core.years import label
from pipeline.ingest.input_files import sha256_of

SNAPSHOT_TABLES = (
    "students", "program_participation", "participants", "concentrators", "cte_graduates",
    "placement_eligibility", "placement_outcomes", "credentials_attained", "perkins_indicators",
    "performance_status", "graduation_cohort_outcomes", "records_not_added", "credential_review",
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
    # An amendment's reason, approver and the recipients who asked for it (docs/snapshot.md#amendments).
    reason: str | None = None
    approved_by: str | None = None
    requested_by: tuple[str, ...] = ()

    def certification(self, profile: str | None) -> certification.Request:
        return certification.Request(self.snapshot_date, profile, self.reason, self.approved_by, self.requested_by)

    @property
    def target(self) -> Path:
        return self.data.snapshots(self.year) / self.snapshot_date.isoformat()

    def check_date(self, today: date | None = None) -> None:
        """A snapshot date falls after September 30 of the year Y ends in (summer exits run to
        then) and not after today (docs/snapshot.md)."""
        today = today or date.today()
        earliest = date(self.year, 9, 30)
        if self.snapshot_date <= earliest:
            raise SnapshotError(f"--date {self.snapshot_date} is too early: a snapshot of {label(self.year)} "
                                f"is dated after {earliest} (summer exits are reported until then)")
        if self.snapshot_date > today:
            raise SnapshotError(f"--date {self.snapshot_date} is in the future (today is {today})")

    def check_free(self) -> None:
        if self.target.exists():
            raise SnapshotError(f"snapshot {self.target.relative_to(self.data.root)} exists already and is never "
                                "overwritten: certify with another --date")


_CLAIMED: set[Path] = set()  # (year, date) locks this process holds: a claim covers its own publish


@contextmanager
def claim(request: SnapshotRequest) -> Iterator[None]:
    """One certification per (year, date): a second concurrent one fails at once, before it
    recomputes anything. Held by the CLI for its whole run, and by publish. The lock lives with
    the warehouse, so a refused certification leaves the snapshots folder as it was."""
    lock_path = request.data.root / "warehouse" / f".certify-{label(request.year)}-{request.snapshot_date}.lock"
    if lock_path in _CLAIMED:
        yield
        return
    try:
        with file_lock(lock_path, f"process {os.getpid()}"):
            _CLAIMED.add(lock_path)
            try:
                yield
            finally:
                _CLAIMED.discard(lock_path)
    except LockBusy:
        raise SnapshotError(
            f"another snapshot of {label(request.year)} on {request.snapshot_date} is being certified"
        ) from None


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
    """Every file the tables were built from: the year's extracts, every earlier year's (credit
    is cumulative), and the reference lists."""
    rows = con.execute(
        "select school_year, source, source_file, size_bytes, sha256, rows_read, rows_loaded, rows_rejected "
        "from int_input_files_counted order by school_year, source_file").fetchall()
    inputs = [dict(zip(("school_year", "kind", "path", "size", "sha256", "rows_read", "rows_loaded",
                        "rows_rejected"), row, strict=True)) for row in rows]
    reference = json.loads((data.staged / "reference" / "files.json").read_text())["files"]
    inputs += [{"kind": f["kind"], "path": f["path"], "size": f["size"], "sha256": f["sha256"],
                "rows_read": f["rows_read"], "rows_loaded": f["rows_read"], "rows_rejected": 0}
               for f in reference]
    return inputs


def run_parameters(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What built the tables, as the warehouse recorded it (the run_parameters model)."""
    cursor = con.execute("select * from run_parameters")
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    return {k: (float(v) if hasattr(v, "as_tuple") else v) for k, v in zip(names, row, strict=True)}


def build_manifest(request: SnapshotRequest, con: duckdb.DuckDBPyConnection,
                   outputs: list[dict[str, Any]], expectations: dict[str, Any]) -> dict[str, Any]:
    built = run_parameters(con)
    settings = ("school_year", "profile", "suppression_threshold", "code_version", "engine")
    return {
        "school_year": label(request.year),
        "school_year_end": request.year,
        "snapshot_date": request.snapshot_date.isoformat(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_by": getpass.getuser(),
        "rule_profile": {"name": built["profile"],
                         "parameters": {k: v for k, v in built.items() if k not in settings}},
        "suppression_threshold": built["suppression_threshold"],
        "code_version": built["code_version"],
        "engine": {"name": built["engine"], "version": _engine_version(built["engine"])},
        "inputs": _inputs(con, request.data),
        "outputs": outputs,
        "expectations": expectations,
    }


def _publishing(data: DataDir) -> Path:
    """Where a snapshot is written before it is published: beside the data, out of readers' sight,
    on the same file system (the publish is a rename)."""
    return data.root / "warehouse" / ".publishing"


def publish(request: SnapshotRequest, expectations: dict[str, Any]) -> Path:
    """Certify the year's current view as a snapshot, with its line in the year's certification
    log (docs/snapshot.md#amendments); return its folder."""
    if expectations["summary"]["failed_errors"]:
        raise SnapshotError(f"{label(request.year)} is not certified: "
                            f"{expectations['summary']['failed_errors']} error expectations failed")
    request.check_date()
    data, year, day = request.data, request.year, request.snapshot_date.isoformat()
    with claim(request):
        certification.recover(data, year)
        request.check_free()
        with duckdb.connect(str(data.warehouse_db(year)), read_only=True) as con:
            profile = run_parameters(con)["profile"]
        try:  # again, now that this run holds the year: another certification may have come first
            certified, _ = certification.plan(data, year, request.certification(profile))
        except certification.CertificationError as error:
            raise SnapshotError(str(error)) from None
        _publishing(data).mkdir(parents=True, exist_ok=True)
        for stale in _publishing(data).glob(f"{label(year)}-{day}-*"):
            _remove_read_only(stale)  # left by a certification that was killed part-way
        staging = _publishing(data) / f"{label(year)}-{day}-{os.getpid()}"
        staging.mkdir()
        _crash_point("staging_created")
        with duckdb.connect(str(data.warehouse_db(year)), read_only=True) as con:
            outputs = _export_tables(con, staging)
            _crash_point("tables_exported")
            manifest = build_manifest(request, con, outputs, expectations)
        manifest["certification"] = asdict(certified)
        _write_manifest(staging, manifest)
        _crash_point("manifest_written")
        problems = verify(staging)
        if problems:
            raise SnapshotError(f"staged snapshot failed its own audit: {problems[0]}")
        _seal(staging)
        _crash_point("sealed")
        line = certification.log_line(data, year, day, certified, profile, manifest["created_at"],
                                      (staging / MANIFEST).read_bytes())
        certification.owe(data, year, day, line)
        _crash_point("owed")
        request.target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, request.target)  # atomic: the whole snapshot appears at once
        _crash_point("renamed")
        _fsync(request.target.parent)
        certification.append(data, year, day, line)
    return request.target


SETTINGS = ("profile", "suppression_threshold", "code_version")


def built_settings(data: DataDir, year: int, snapshot: Path | None) -> dict[str, Any]:
    """What built one side's tables: a snapshot's manifest, or (None) the current view's
    run_parameters - profile, suppression threshold, code version."""
    if snapshot is None:
        with duckdb.connect(str(data.warehouse_db(year)), read_only=True) as con:
            return {k: v for k, v in run_parameters(con).items() if k in SETTINGS}
    manifest = json.loads((snapshot / MANIFEST).read_text())
    return {"profile": manifest["rule_profile"]["name"], "suppression_threshold": manifest["suppression_threshold"],
            "code_version": manifest["code_version"]}


def _engine_version(engine: str) -> str:
    return importlib.metadata.version(f"dbt-{engine}")


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


def _certification_problem(index: int, entry: dict[str, Any], snapshot: Path) -> str | None:
    """What is wrong between a log line and the snapshot it names, if anything."""
    if not snapshot.is_dir():
        return f"line {index} names snapshot {entry['snapshot_date']}, which is missing"
    problems = verify(snapshot)
    if problems:
        return f"snapshot {snapshot.name}: {problems[0]}"
    manifest_bytes = (snapshot / MANIFEST).read_bytes()
    if certification.sha256(manifest_bytes) != entry.get("manifest_sha256"):
        return f"line {index}: the manifest of snapshot {snapshot.name} is not the one it certified"
    manifest = json.loads(manifest_bytes)
    recorded = {**manifest.get("certification", {}), "profile": manifest["rule_profile"]["name"],
                "created_at": manifest["created_at"], "number": index}
    differing = sorted(k for k, v in recorded.items() if entry.get(k) != v)
    if differing:
        return f"line {index} disagrees with the manifest of snapshot {snapshot.name} on {', '.join(differing)}"
    return None


def verify_year(folder: Path) -> list[str]:
    """Problems with a year's snapshots and its certification log (docs/snapshot.md#amendments): the chain of lines,
    every listed snapshot against its line, no snapshot the log does not list. Empty when valid."""
    log = folder / certification.LOG
    if not log.is_file():
        return [f"{folder}: no {certification.LOG}"]
    raw = log.read_bytes()
    if not raw.endswith(b"\n"):
        return [f"the last line of {certification.LOG} is incomplete"]
    listed, previous = set(), None
    for index, line in enumerate(raw.split(b"\n")[:-1], start=1):
        try:
            entry = json.loads(line)
        except ValueError:
            return [f"line {index} of {certification.LOG} cannot be read"]
        if entry.get("previous_sha256") != (certification.sha256(previous) if previous is not None else None):
            return [f"line {index} of {certification.LOG} does not follow the line before it "
                    "(a line was changed, removed or reordered)"]
        problem = _certification_problem(index, entry, folder / str(entry.get("snapshot_date")))
        if problem:
            return [problem]
        listed.add(entry["snapshot_date"])
        previous = line
    return [f"snapshot {name} is not in {certification.LOG}"
            for name in sorted({p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")}
                               - listed)]


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
