"""Ed-Fi ingest benchmark: one school year read from Ed-Fi resources against the same year from CSV.

    .venv/bin/python benchmarks/bench_edfi.py --students 1700000 [--data-dir /tmp/ctesnap-bench-edfi]

`ctesnap generate` writes the same synthetic year (same seed) once as CSV extracts and once as
Ed-Fi API resources (JSON lines). Each is then ingested alone (reference lists and the year:
reading, mapping, format checks, staged Parquet) in a process of its own; the benchmark prints
wall time, rows staged per second, the peak RSS of that process and the Ed-Fi/CSV ratio, and
counts the students each staged.
"""

import subprocess
import sys
from pathlib import Path

import polars as pl
from bench import CTESNAP, fresh_run, line, measured

INGEST = ("from pathlib import Path; from pipeline.core.paths import DataDir; "
          "from pipeline.ingest.read import ingest_reference, ingest_year; "
          "data = DataDir(Path({root!r})); ingest_reference(data); ingest_year(data, 2025)")


def ingest(root: Path) -> tuple[float, int]:
    seconds, sampler, _, _ = measured([sys.executable, "-c", INGEST.format(root=str(root))])
    return seconds, sampler.peak()


def staged_rows(root: Path) -> int:
    return sum(pl.scan_parquet(root / "warehouse/staged/2024-25" / f"{kind}.parquet").select(pl.len()).collect().item()
               for kind in ("students", "roster", "exits", "assessments"))


def main() -> None:
    args = fresh_run(__doc__, "/tmp/ctesnap-bench-edfi")
    roots = {f: args.data_dir / f for f in ("csv", "edfi")}
    for output_format, root in roots.items():
        subprocess.run([CTESNAP, "--data-dir", str(root), "generate", "--students", str(args.students),
                        "--years", "2024-25", "--format", output_format], check=True, capture_output=True)
    print(f"{args.students:,} students, one school year; ingest of the reference lists and the year")
    print(f"{'stage':<28}{'seconds':>9}{'rows/s':>14}{'peak GiB':>14}")
    figures = {}
    for output_format, root in roots.items():
        seconds, peak = ingest(root)
        rows = staged_rows(root)
        line(f"ingest from {output_format}", seconds, rows, peak)
        figures[output_format] = (seconds, peak, rows)
    size = sum(p.stat().st_size for p in (roots["edfi"] / "raw/2024-25/edfi").iterdir()) / 2**30
    ratio = figures["edfi"][0] / figures["csv"][0]
    print(f"Ed-Fi resources: {size:.2f} GiB of JSON lines; Ed-Fi/CSV ingest time {ratio:.2f}x "
          f"(target at most 3x), Ed-Fi peak {figures['edfi'][1] / 2**30:.2f} GiB (target at most 6 GiB)")
    # A student given twice is rejected at the ingest from Ed-Fi, by the rules from CSV.
    staged = {f: set(pl.read_parquet(r / "warehouse/staged/2024-25/students.parquet")["student_id"])
              for f, r in roots.items()}
    print(f"students staged: {len(staged['csv']):,} from CSV, {len(staged['edfi']):,} from Ed-Fi, "
          f"{len(staged['edfi'] - staged['csv'])} only from Ed-Fi")


if __name__ == "__main__":
    main()
