"""Read extracts, type every column, and split rows into loaded and rejected (docs/inputs.md,
docs/rules.md#rejected-rows).

The ingest does the format checks only (missing value, bad value, too long): they need nothing
but the row itself. Every rule check (duplicates, unknown students, coherent sequence, exit
year, credentials) lives once, in the dbt models, which add their rejects to the same table.
"""

import contextlib
import csv
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from pipeline.core import staged_changes
from pipeline.core.paths import DataDir
from pipeline.core.years import label
from pipeline.ingest.edfi.extracts import EdfiYear
from pipeline.ingest.input_files import (
    FIRST_DATA_ROW,
    REJECTED_SCHEMA,
    Check,
    ExtractError,
    FileResult,
    check_inside,
    first_failure,
    sha256_of,
)
from pipeline.ingest.schema import EXTRACTS, REFERENCES, YN_VALUES, Column, Extract

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S")
LOWERCASE_CODES = {"evidence", "course_type", "recipient_type", "column"}
# Bumped when the staged Parquet changes shape, so years staged by older code are staged again.
STAGED_FORMAT = 4
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


@dataclass
class YearIngest:
    year: int
    files: list[FileResult]

    def to_json(self) -> str:
        return json.dumps({"year": self.year, "format": STAGED_FORMAT, "files": [asdict(f) for f in self.files]},
                          indent=2)


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def extract_files(folder: Path, kind: str) -> list[Path]:
    """`<kind>.csv`, `<kind>.xlsx`, or every such file in a folder `<kind>/`, in name order."""
    found = [folder / f"{kind}{ext}" for ext in (".csv", ".xlsx") if (folder / f"{kind}{ext}").is_file()]
    sub = folder / kind
    if sub.is_dir():
        found += sorted(p for p in sub.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
    return found


def _check_encoding(path: Path, display: str) -> None:
    """Say what is wrong with a CSV that is not UTF-8 text with line feeds, in words."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(f"{display}: is saved as UTF-16 text; save it as UTF-8 CSV")
    if b"\r" in head and b"\n" not in head:
        raise ExtractError(f"{display}: has old Mac line endings (CR only); save it with Windows or Unix line endings")


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        return next(csv.reader(handle), [])


def _ragged_rows(path: Path, width: int) -> dict[int, int]:
    """Rows (spreadsheet numbering) with more fields than the header, and their field counts.
    Only called when the fast reader found such a row."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        return {number: len(fields) for number, fields in enumerate(csv.reader(handle), start=1)
                if number >= FIRST_DATA_ROW and len(fields) > width}


def header_key(name: str) -> str:
    """A header name as it is matched: case and runs of spaces do not matter (docs/inputs.md)."""
    return " ".join(name.lower().split())


def _check_header(names: list[str], display: str) -> list[str]:
    """Header names as they are matched; a name given twice stops the file, named."""
    header = [header_key(name) for name in names]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ExtractError(f"{display}: the header names column {', '.join(repeated)} more than once")
    return header


def _read_csv(path: Path, display: str) -> tuple[pl.DataFrame, dict[int, int]]:
    # Checked before Polars reads the file: Polars would rename a repeated column and go on.
    header = _check_header(_csv_header(path), display)
    try:
        return pl.read_csv(path, infer_schema=False, encoding="utf8"), {}
    except pl.exceptions.ComputeError as error:
        if "more fields than defined" not in str(error):
            raise
    # A row with more fields than the header is one rejected row, not a reason to refuse the file.
    ragged = _ragged_rows(path, len(header))
    return pl.read_csv(path, infer_schema=False, encoding="utf8", truncate_ragged_lines=True), ragged


def read_raw(path: Path, display: str, root: Path) -> tuple[pl.DataFrame, dict[int, int]]:
    """Every cell as a string, headers trimmed and lower-cased, with the spreadsheet row number;
    and the rows that have more fields than the header."""
    check_inside(path, root, display)
    ragged: dict[int, int] = {}
    try:
        if path.suffix.lower() == ".xlsx":
            frame = pl.read_excel(path, infer_schema_length=0)
        else:
            _check_encoding(path, display)
            frame, ragged = _read_csv(path, display)
    except ExtractError:
        raise
    except Exception as error:  # polars and calamine raise many kinds; the user needs one line
        raise ExtractError(f"{display}: cannot be read as {_format_name(path)} ({_reason(error)})") from None
    frame.columns = _check_header(frame.columns, display)
    frame = frame.with_row_index("row_number", offset=FIRST_DATA_ROW).with_columns(pl.col("row_number").cast(pl.Int64))
    return frame, ragged


def _format_name(path: Path) -> str:
    return "XLSX" if path.suffix.lower() == ".xlsx" else "UTF-8 CSV"


def _reason(error: Exception) -> str:
    """What went wrong, in words, without quoting the file: a library's message may hold a whole
    row, names and birth dates included."""
    text = str(error).lower()
    if "utf" in text or "invalid" in text and "encoding" in text:
        return "it is not UTF-8 text"
    if "quote" in text or "eof" in text:
        return "a quoted value is not closed"
    if "zip" in text or "xlsx" in text or "calamine" in text or "excel" in text:
        return "it is not an XLSX workbook"
    return "its rows do not follow the header"


def _parsed(column: Column, raw: pl.Expr) -> pl.Expr:
    """The typed value, null where the text does not parse."""
    match column.type:
        case "str":
            # A value holding a control character (NUL, ...) is a bad value (docs/inputs.md).
            return pl.when(~raw.str.contains(CONTROL_CHARACTERS)).then(raw)
        case "date":
            return pl.coalesce([raw.str.to_date(fmt, strict=False) for fmt in DATE_FORMATS + column.date_formats])
        case "dec":
            number = raw.cast(pl.Float64, strict=False)
            return pl.when(number.is_finite() & number.is_between(*column.limits)).then(number)
        case "int":
            number = raw.cast(pl.Float64, strict=False)
            whole = number.is_finite() & (number == number.round(0)) & number.is_between(*column.limits)
            return pl.when(whole).then(number.cast(pl.Int32, strict=False))
        case "yn":
            return raw.str.to_uppercase().replace_strict(YN_VALUES, default=None, return_dtype=pl.Boolean)
        case "code":
            lower = column.name in LOWERCASE_CODES
            text = raw.str.to_lowercase() if lower else raw.str.to_uppercase()
            if column.aliases:
                text = text.replace(column.aliases)
            return pl.when(text.is_in(list(column.codes))).then(text)
    raise ValueError(column.type)


def _plain(number: float) -> str:
    """1000000 as 1,000,000, 0.5 as 0.5: how a clerk writes a limit."""
    return f"{number:,.0f}" if number == int(number) else f"{number:,}"


def _describe(column: Column) -> str:
    match column.type:
        case "date":
            return "a date (" + "YYYYMMDD, " * bool(column.date_formats) + "YYYY-MM-DD or MM/DD/YYYY)"
        case "dec":
            low, high = column.limits
            return f"a number from {_plain(low)} to {_plain(high)}"
        case "int":
            return "a whole number" + (f" from {column.bounds[0]:g} to {column.bounds[1]:g}" if column.bounds else "")
        case "yn":
            return "Y or N"
        case "code":
            return "one of " + ", ".join(column.codes)
    return "text without control characters"


TYPED = "__typed_"  # prefix of the parsed value of a column, computed once per file


RAGGED = "__fields"  # the field count of a row longer than its header; null otherwise


def _checks(columns: tuple[Column, ...], header_width: int) -> list[Check]:
    """(failing condition, reason code, plain-English reason) in the order docs/rules.md#rejected-rows ranks them.

    They read the trimmed text (the column itself) and its parsed value (TYPED + name). A row
    with more fields than the header comes first: its values cannot be trusted to be in place.
    """
    ragged = [(pl.col(RAGGED).is_not_null(), "BAD_VALUE",
               pl.lit("row has ") + pl.col(RAGGED).cast(pl.String)
               + pl.lit(f" fields, the header has {header_width}"))]
    missing, bad, long = [], [], []
    for column in columns:
        text = pl.col(column.name)
        if column.required:
            missing.append((text.is_null(), "MISSING_VALUE", pl.lit(f"{column.label} is missing")))
        printable = text.str.replace_all(CONTROL_CHARACTERS, "?").str.slice(0, 40)
        shown = pl.lit("") if column.personal else pl.lit(" '") + printable + pl.lit("'")
        bad.append((
            text.is_not_null() & pl.col(TYPED + column.name).is_null(),
            "BAD_VALUE",
            pl.lit(column.label) + shown + pl.lit(f" is not {_describe(column)}"),
        ))
        if column.max_len:
            long.append((
                text.str.len_chars() > column.max_len,
                "TOO_LONG",
                pl.lit(f"{column.label} is longer than {column.max_len} characters"),
            ))
    return ragged + missing + bad + long


def _trimmed(column: Column, present: set[str]) -> pl.Expr:
    """The trimmed text of a column; empty strings and absent optional columns are missing,
    and an optional column's default stands in for a missing value."""
    if column.name not in present:
        text = pl.lit(None, dtype=pl.String)
    else:
        stripped = pl.col(column.name).cast(pl.String).str.strip_chars()
        text = pl.when(stripped.str.len_chars() > 0).then(stripped)
    if column.default is not None:
        text = text.fill_null(pl.lit(column.default))
    return text.alias(column.name)


def validate(frame: pl.DataFrame, columns: tuple[Column, ...], source: str, source_file: str,
             ragged: dict[int, int] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split one file's rows into typed loaded rows and rejected records."""
    present = set(frame.columns)
    checks = _checks(columns, len(frame.columns) - 1)  # the frame holds the header's columns and row_number
    fields = pl.col("row_number").replace_strict(ragged, default=None, return_dtype=pl.Int64) if ragged \
        else pl.lit(None, pl.Int64)
    marked = (
        frame.lazy()
        .select(pl.col("row_number"), fields.alias(RAGGED), *(_trimmed(column, present) for column in columns))
        .with_columns(_parsed(column, pl.col(column.name)).alias(TYPED + column.name) for column in columns)
        .with_columns(*first_failure(checks))
        .collect()
    )
    # Names, birth dates and emails are checked but never stored: no output needs them.
    loaded = marked.filter(pl.col("reason_code").is_null()).select(
        *(pl.col(TYPED + column.name).alias(column.name) for column in columns if not column.personal),
        pl.lit(source_file).alias("source_file"),
        pl.col("row_number"),
    )
    rejected = marked.filter(pl.col("reason_code").is_not_null()).select(
        pl.lit(source).alias("source"),
        pl.lit(source_file).alias("source_file"),
        pl.col("row_number"),
        *(pl.col(name).str.slice(0, 32) if any(c.name == name for c in columns)
          else pl.lit(None, pl.String).alias(name) for name in ("student_id", "district_id")),
        pl.col("reason_code"),
        pl.col("reason"),
    )
    return loaded, rejected


def read_and_validate(path: Path, extract: Extract, root: Path
                      ) -> tuple[pl.DataFrame, pl.DataFrame, FileResult]:
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    frame, ragged = read_raw(path, display, root)
    # A column the file names its own way (the Clearinghouse's headers) takes its ctesnap name.
    renames = {header_key(c.header): c.name for c in extract.columns if c.header}
    frame = frame.rename({name: renames[name] for name in frame.columns if name in renames})
    present = set(frame.columns) - {"row_number"}
    absent = [c.label for c in extract.columns if c.required and c.name not in present]
    if absent:
        raise ExtractError(f"{display}: required column {', '.join(absent)} is missing from the header")
    ignored = sorted(present - set(extract.column_names))
    loaded, rejected = validate(frame, extract.columns, extract.kind, display, ragged)
    result = FileResult(extract.kind, display, path.stat().st_size, sha256_of(path), frame.height,
                        rejected.height, ignored)
    return loaded, rejected, result


def _empty(columns: tuple[Column, ...]) -> pl.DataFrame:
    frame = pl.DataFrame({c.name: pl.Series([], dtype=pl.String) for c in columns})
    loaded, _ = validate(frame.with_columns(pl.lit(0, pl.Int64).alias("row_number")), columns, "", "")
    return loaded


def _read_edfi(edfi: EdfiYear, extract: Extract, paths: list[Path], root: Path
               ) -> tuple[pl.DataFrame, pl.DataFrame, list[FileResult]]:
    """A kind delivered as Ed-Fi resources, through the same format checks as a CSV file."""
    source = edfi.anchor_display(extract.kind)
    if paths:
        raise ExtractError(f"{paths[0].relative_to(root).as_posix()}: {extract.kind} is also delivered as Ed-Fi "
                           f"resources ({source}); keep one of them")
    read = edfi.read(extract.kind)
    loaded, rejected = validate(read.rows, extract.columns, extract.kind, source)
    read.files[0].rows_rejected_format += rejected.height
    return loaded, pl.concat([read.rejected, rejected]), read.files


def ingest_extracts(folder: Path, extracts: dict[str, Extract], root: Path, progress: Progress,
                    edfi: EdfiYear | None = None) -> tuple[dict[str, pl.DataFrame], pl.DataFrame, list[FileResult]]:
    """Read every kind in a folder (a kind the year delivers as Ed-Fi resources from them);
    raise ExtractError on the first file that cannot be read."""
    tables, rejects, results = {}, [], []
    for kind, extract in extracts.items():
        paths = extract_files(folder, kind)
        if edfi is not None and kind in edfi.kinds:
            loaded, rejected, files = _read_edfi(edfi, extract, paths, root)
            tables[kind] = pl.concat([_empty(extract.columns), loaded], how="vertical")
            rejects.append(rejected)
            results += files
            progress(_summary(files[0]))
            continue
        if not paths and not extract.optional:
            shown = (folder / kind).relative_to(root).as_posix()
            raise ExtractError(f"{shown}: no {kind} extract (.csv, .xlsx or a folder of them)")
        parts = [_empty(extract.columns)]
        for path in paths:
            loaded, rejected, result = read_and_validate(path, extract, root)
            parts.append(loaded)
            rejects.append(rejected)
            results.append(result)
            progress(_summary(result))
            if result.ignored_columns:
                progress(f"warning: {result.path}: ignored unknown columns {', '.join(result.ignored_columns)}")
        tables[kind] = pl.concat(parts, how="vertical")
    rejected = pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECTED_SCHEMA)
    return tables, rejected, results


def _summary(result: FileResult) -> str:
    return (f"{result.path}: read {result.rows_read:,}, passed format checks "
            f"{result.rows_read - result.rows_rejected_format:,}, rejected {result.rows_rejected_format:,}")


def _publish_folder(staging: Path, final: Path) -> None:
    """Swap a fully written folder into place, so readers never see half of one; the run under way
    keeps the old one aside until it succeeds (pipeline/core/staged_changes.py)."""
    if staged_changes.set_aside(final):
        os.replace(staging, final)
        return
    old = final.with_name(final.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def _write_tables(target: Path, tables: dict[str, pl.DataFrame], manifest: str) -> None:
    """Write every table of a folder beside it, then swap the folder in whole."""
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, table in tables.items():
        table.write_parquet(staging / f"{name}.parquet")
    (staging / "files.json").write_text(manifest)
    _publish_folder(staging, target)


def _files_frame(results: list[FileResult]) -> pl.DataFrame:
    """One row per input file: the warehouse counts loaded rows against rows_read with it."""
    return pl.DataFrame(
        [{k: v for k, v in asdict(r).items() if k != "ignored_columns"} for r in results],
        schema={"kind": pl.String, "path": pl.String, "size": pl.Int64, "sha256": pl.String,
                "rows_read": pl.Int64, "rows_rejected_format": pl.Int64},
    )


def ingest_year(data: DataDir, year: int, progress: Progress = _quiet) -> YearIngest:
    """Ingest one school year's extracts into data.staged_year(year), whole or not at all."""
    folder = data.raw_year(year)
    if not folder.is_dir():
        raise ExtractError(f"raw/{label(year)}: no such folder of extracts")
    edfi = EdfiYear(folder, data.root, year, data.staged / "reference", progress) \
        if (folder / "edfi").is_dir() else None
    with edfi or contextlib.nullcontext():
        tables, rejected, results = ingest_extracts(folder, EXTRACTS, data.root, progress, edfi)
    summary = YearIngest(year, results)
    school_year = pl.lit(year, pl.Int32).alias("school_year")
    tables = {name: table.with_columns(school_year) for name, table in
              {**tables, "rejected": rejected, "files": _files_frame(results)}.items()}
    _write_tables(data.staged_year(year), tables, summary.to_json())
    return summary


def ingest_reference(data: DataDir, progress: Progress = _quiet) -> list[FileResult]:
    """Ingest the state reference lists; a reference row that fails its format checks stops it."""
    tables, rejected, results = ingest_extracts(data.reference, REFERENCES, data.root, progress)
    if rejected.height:
        first = rejected.row(0, named=True)
        raise ExtractError(f"{first['source_file']} row {first['row_number']}: {first['reason']}")
    for kind, table in tables.items():
        _check_unique_key(table, REFERENCES[kind])
    _write_tables(data.staged / "reference", tables,
                  json.dumps({"files": [asdict(r) for r in results]}, indent=2))
    return results


def _check_unique_key(table: pl.DataFrame, reference: Extract) -> None:
    """A reference list that lists its key twice stops the run (docs/inputs.md), naming key and rows."""
    key = list(reference.key)
    repeated = (table.group_by(key, maintain_order=True)
                .agg(pl.col("source_file").first(), pl.col("row_number").sort())
                .filter(pl.col("row_number").list.len() > 1))
    if repeated.height:
        first = repeated.row(0, named=True)
        values = ", ".join(str(first[k]) if first[k] is not None else "(empty)" for k in key)
        rows = " and ".join(str(n) for n in first["row_number"])
        raise ExtractError(f"{first['source_file']}: {', '.join(key)} {values} is listed more than once "
                           f"(rows {rows}); each may appear once")


def staged_fingerprint(data: DataDir, year: int) -> dict[str, str] | None:
    """The input hashes a staged year was built from, or None if it was never staged."""
    manifest = data.staged_year(year) / "files.json"
    if not manifest.is_file():
        return None
    staged = json.loads(manifest.read_text())
    return {f["path"]: f["sha256"] for f in staged["files"]} | {"format": str(staged.get("format"))}


def raw_fingerprint(data: DataDir, year: int) -> dict[str, str]:
    """The hashes of a year's input files; an Ed-Fi year also depends on the reference lists
    (its programs come from the coherent sequence, its codes from the descriptor map)."""
    folder = data.raw_year(year)
    files = [p for kind in EXTRACTS for p in extract_files(folder, kind)]
    if (folder / "edfi").is_dir():
        files += sorted(p for p in (folder / "edfi").iterdir() if p.is_file())
        files += [p for kind in REFERENCES for p in extract_files(data.reference, kind)]
    return {p.relative_to(data.root).as_posix(): sha256_of(p) for p in files} | {"format": str(STAGED_FORMAT)}


def ensure_history(data: DataDir, year: int, progress: Progress = _quiet) -> list[int]:
    """Stage every earlier school year in raw/ whose extracts changed since it was staged.

    Concentrator status is cumulative, so year Y needs the loaded rows of every earlier year.
    """
    refreshed = []
    for earlier in data.raw_years():
        if earlier >= year:
            continue
        if staged_fingerprint(data, earlier) != raw_fingerprint(data, earlier):
            progress(f"staging earlier year {label(earlier)} for cumulative credits")
            ingest_year(data, earlier, progress)
            refreshed.append(earlier)
    return refreshed

