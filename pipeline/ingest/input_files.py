"""What every reader of input files shares: the error that stops a year, how rows are numbered,
and what one file gave (for the manifest and the one-line summary)."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

FIRST_DATA_ROW = 2  # the header is row 1, as people count rows in a spreadsheet
# A rejected record as the ingest stages it (docs/rules.md#rejected-rows); the rules add theirs in the warehouse.
REJECTED_SCHEMA = {"source": pl.String, "source_file": pl.String, "row_number": pl.Int64,
                   "student_id": pl.String, "district_id": pl.String, "reason_code": pl.String, "reason": pl.String}


class ExtractError(Exception):
    """A file that cannot be read at all: the year stops, nothing of it is published."""


@dataclass
class FileResult:
    """What one input file gave: the manifest and the one-line summary are made from it."""

    kind: str
    path: str
    size: int
    sha256: str
    rows_read: int
    rows_rejected_format: int
    ignored_columns: list[str] = field(default_factory=list)


def check_inside(path: Path, root: Path, display: str) -> None:
    """A link may not lead out of the data directory: everything read is under DIR (docs/inputs.md)."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise ExtractError(f"{display}: is a link to a file outside the data directory; copy the file in instead")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


Check = tuple[pl.Expr, str, pl.Expr]  # (failing condition, reason code, plain-English reason)


def first_failure(checks: list[Check]) -> tuple[pl.Expr, pl.Expr]:
    """`reason_code` and `reason` of the first failing check, null when every check passes."""
    if not checks:
        return pl.lit(None, pl.String).alias("reason_code"), pl.lit(None, pl.String).alias("reason")
    code = pl.when(checks[0][0]).then(pl.lit(checks[0][1]))
    reason = pl.when(checks[0][0]).then(checks[0][2])
    for condition, reason_code, message in checks[1:]:
        code = code.when(condition).then(pl.lit(reason_code))
        reason = reason.when(condition).then(message)
    return code.otherwise(None).alias("reason_code"), reason.otherwise(None).alias("reason")
