"""The certification log of a school year (docs/snapshot.md#amendments): `snapshots/<label>/certifications.jsonl`.

One JSON line per certification, appended when its snapshot is published and never rewritten,
chained by hashes: each line holds the SHA-256 of the line before it and of its snapshot's
manifest. The last line is the certification in force; a later certification of the year is an
amendment, which needs a reason and an approver, a later date and the profile in force.

Publishing the folder and appending its line are one step: the folder's rename is the commit, a
marker beside the work says which line it owes, and the line is appended at once after it, or by
the next command that reads the year if the process was killed in between (recover()).
"""

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.core.paths import DataDir
from pipeline.core.years import label

LOG = "certifications.jsonl"
PENDING = ".pending"


class CertificationError(Exception):
    """A certification that may not be made, or a log that does not hold; one line for the user."""


@dataclass(frozen=True)
class Request:
    """What the person certifying says: the date, the profile they asked for (None: the one in
    force, else federal), and for an amendment why, who approved it and who asked for it."""

    snapshot_date: date
    profile: str | None = None
    reason: str | None = None
    approved_by: str | None = None
    requested_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Certification:
    """The `certification` object of a manifest, and the start of its log line."""

    number: int
    action: str  # certify (the first) or amend
    supersedes: str | None  # the snapshot_date of the certification it replaces
    reason: str | None
    approved_by: str | None
    requested_by: list[str] = field(default_factory=list)


def log_path(data: DataDir, year: int) -> Path:
    return data.snapshots(year) / LOG


def sha256(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def raw_lines(data: DataDir, year: int) -> list[bytes]:
    """The log's lines as bytes, without their newlines."""
    path = log_path(data, year)
    return path.read_bytes().split(b"\n")[:-1] if path.is_file() else []


def entries(data: DataDir, year: int) -> list[dict[str, Any]]:
    return [json.loads(line) for line in raw_lines(data, year)]


def in_force(data: DataDir, year: int) -> dict[str, Any] | None:
    """The last line of the year's log: the certification in force, if any."""
    lines = entries(data, year)
    return lines[-1] if lines else None


def in_force_folder(data: DataDir, year: int) -> Path | None:
    """The snapshot folder of the certification in force. A year certified before the log existed
    (ctesnap before version 3) has no log: its latest snapshot folder is in force."""
    current = in_force(data, year)
    if current is not None:
        return data.snapshots(year) / current["snapshot_date"]
    folder = data.snapshots(year)
    snapshots = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if folder.is_dir() else []
    return snapshots[-1] if snapshots else None


def plan(data: DataDir, year: int, request: Request) -> tuple[Certification, str]:
    """The certification a request makes, with its profile; CertificationError says why it may not
    be made (nothing is written then)."""
    current = in_force(data, year)
    if current is None:
        return Certification(1, "certify", None, request.reason, request.approved_by,
                             list(request.requested_by)), request.profile or "federal"
    forced = current["snapshot_date"]
    missing = [option for option, value in (("--reason", request.reason), ("--approved-by", request.approved_by))
               if not (value or "").strip()]
    if missing:
        raise CertificationError(f"{label(year)} is certified already (certification {current['number']} of {forced}): "
                                 f"an amendment needs {' and '.join(missing)}")
    if request.snapshot_date.isoformat() <= forced:
        raise CertificationError(f"--date {request.snapshot_date} is not after {forced}, the date of the certification "
                                 f"in force of {label(year)}: an amendment is dated later")
    if request.profile is not None and request.profile != current["profile"]:
        raise CertificationError(f"{label(year)} is certified under the {current['profile']} profile: an amendment "
                                 f"uses the same profile (--profile {request.profile} is refused)")
    return Certification(current["number"] + 1, "amend", forced, request.reason.strip(), request.approved_by.strip(),
                         list(request.requested_by)), current["profile"]


def log_line(data: DataDir, year: int, snapshot_date: str, certification: Certification, profile: str,
             created_at: str, manifest_bytes: bytes) -> str:
    """The JSON line a certification appends, chained to the line before it."""
    lines = raw_lines(data, year)
    fields = asdict(certification)
    return json.dumps({
        "number": fields.pop("number"), "snapshot_date": snapshot_date, **fields,
        "profile": profile, "created_at": created_at, "manifest_sha256": sha256(manifest_bytes),
        "previous_sha256": sha256(lines[-1]) if lines else None,
    })


def _pending_marker(data: DataDir, year: int, snapshot_date: str) -> Path:
    return data.root / "warehouse" / ".publishing" / f"{label(year)}-{snapshot_date}{PENDING}"


def owe(data: DataDir, year: int, snapshot_date: str, line: str) -> None:
    """Before a snapshot folder is renamed into place: say which line it owes the log."""
    marker = _pending_marker(data, year, snapshot_date)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(line)


def append(data: DataDir, year: int, snapshot_date: str, line: str) -> None:
    """Append the owed line (the log is replaced by a copy one line longer: a kill never leaves
    half a line), then drop the marker."""
    path = log_path(data, year)
    staged = _pending_marker(data, year, snapshot_date).with_suffix(".log")
    staged.write_bytes((path.read_bytes() if path.is_file() else b"") + line.encode() + b"\n")
    with staged.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staged, path)
    _pending_marker(data, year, snapshot_date).unlink()


def recover(data: DataDir, year: int) -> None:
    """Finish or forget what a killed certification of the year left: a published folder gets the
    line it owes; a folder that never appeared owes nothing."""
    folder = data.root / "warehouse" / ".publishing"
    for marker in sorted(folder.glob(f"{label(year)}-*{PENDING}")) if folder.is_dir() else []:
        snapshot_date = marker.name[len(label(year)) + 1:-len(PENDING)]
        logged = any(e["snapshot_date"] == snapshot_date for e in entries(data, year))
        if (data.snapshots(year) / snapshot_date).is_dir() and not logged:
            append(data, year, snapshot_date, marker.read_text())
        else:
            marker.unlink()
