"""How a generated extract is delivered: the mistakes real deliveries carry, and the file
formats and layouts districts send (CSV with or without a byte-order mark, XLSX, a folder of
district files)."""

from pathlib import Path

import numpy as np
import polars as pl


def inject_errors(kind: str, frame: pl.DataFrame, rate: float, rng: np.random.Generator) -> pl.DataFrame:
    """Add the mistakes real deliveries carry, each at a fraction of `rate`."""
    if frame.height == 0 or rate <= 0:
        return frame
    n = frame.height

    def sample(share: float) -> np.ndarray:
        return rng.choice(n, size=min(n, int(round(n * rate * share))), replace=False)

    duplicates = frame[sample(0.3)]
    broken = frame.with_row_index("__i")
    bad = {
        "students": [("gender", "Q", 0.2), ("birth_date", "", 0.2), ("grade_level", "13", 0.1)],
        "roster": [("student_id", "9999999999", 0.3), ("course_code", "99990001", 0.2), ("term", "Q3", 0.1)],
        "exits": [("exit_code", "X9", 0.3), ("exit_date", "2001-01-01", 0.2)],
        "credentials": [("credential_code", "FAKE-CERT", 0.3), ("credential_code", "CNA", 0.2)],
        "placements": [("employment_status", "WORKING", 0.3)],
        "nsc_detail": [("Record Found Y/N", "maybe", 0.2), ("Enrollment Status", "Z", 0.1)],
        "wage_records": [("quarter", "5", 0.2), ("wages", "-100", 0.2)],
        "military_service": [("branch", "AIRFORCE", 0.3)],
        "service_programs": [("program", "VISTA", 0.3)],
        "graduation_cohort": [("in_four_year_cohort", "maybe", 0.2)],
        "assessments": [("subject", "HISTORY", 0.3), ("student_id", "9999999999", 0.2)],
    }[kind]
    for column, value, share in bad:
        rows = sample(share)
        broken = broken.with_columns(
            pl.when(pl.col("__i").is_in(rows.tolist())).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))
    broken = broken.drop("__i")
    if kind in ("students", "roster"):
        broken = pl.concat([broken, duplicates])
    return broken


def us_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """Rewrite ISO dates as MM/DD/YYYY, as some student information systems export them."""
    columns = [c for c in frame.columns if c.endswith("_date")]
    return frame.with_columns(
        pl.col(c).str.to_date("%Y-%m-%d", strict=False).dt.strftime("%m/%d/%Y").fill_null(pl.col(c))
        for c in columns)


def write_extract(frame: pl.DataFrame, folder: Path, kind: str, style: str) -> None:
    """Write one extract as `csv`, `bom` (CSV with a byte-order mark), `xlsx` or `split` (a folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    if style == "xlsx":
        frame.write_excel(folder / f"{kind}.xlsx", autofit=False)
    elif style == "split" and "district_id" in frame.columns:
        (folder / kind).mkdir(exist_ok=True)
        for (district,), part in frame.group_by("district_id", maintain_order=True):
            part.write_csv(folder / kind / f"{kind}_{district}.csv")
    elif style == "bom":
        with (folder / f"{kind}.csv").open("wb") as handle:
            handle.write(b"\xef\xbb\xbf")
            frame.write_csv(handle)
    else:
        frame.write_csv(folder / f"{kind}.csv")


def delivery_style(kind: str, index: int, mixed: bool) -> str:
    if not mixed:
        return "bom" if (kind == "students" and index == 0) else "csv"
    return {("exits", 3): "xlsx", ("credentials", 2): "xlsx", ("roster", 1): "split",
            ("students", 0): "bom"}.get((kind, index), "csv")
