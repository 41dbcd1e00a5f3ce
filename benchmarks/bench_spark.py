"""Spark session vs DuckDB: the same generated state certified by each engine on this machine.

    .venv/bin/python benchmarks/bench_spark.py --students 100000 [--data-dir /tmp/ctesnap-bench-spark]

Needs the `spark` extra. `ctesnap generate` writes 4 school years once; each engine certifies the
latest year (`ctesnap snapshot --engine duckdb|spark`, ingest included) in a data directory of its
own. Prints wall time and peak RSS of each run, the ratio, and whether the 13 snapshot tables are
identical.
"""

import shutil
import subprocess

import polars as pl
from bench import CTESNAP, YEARS, fresh_run, line, measured


def main() -> None:
    args = fresh_run(__doc__, "/tmp/ctesnap-bench-spark")
    source = args.data_dir / "generated"
    subprocess.run([CTESNAP, "--data-dir", str(source), "generate", "--students", str(args.students),
                    "--years", YEARS], check=True, capture_output=True)
    print(f"{args.students:,} students x 4 school years, certifying 2024-25")
    print(f"{'engine':<28}{'seconds':>9}{'':>14}{'peak GiB':>14}")
    times = {}
    for engine in ("duckdb", "spark"):
        root = args.data_dir / engine
        shutil.copytree(source / "raw", root / "raw")
        seconds, sampler, _, _ = measured([CTESNAP, "--data-dir", str(root), "snapshot", "--year", "2024-25",
                                           "--date", "2025-12-05", "--engine", engine])
        line(f"snapshot --engine {engine}", seconds, None, sampler.peak())
        times[engine] = seconds
    folders = {e: args.data_dir / e / "snapshots/2024-25/2025-12-05" for e in times}
    same = all(pl.read_parquet(p).equals(pl.read_parquet(folders["spark"] / p.name))
               for p in folders["duckdb"].glob("*.parquet"))
    print(f"Spark / DuckDB: {times['spark'] / times['duckdb']:.1f}x; 13 snapshot tables identical: {same}")


if __name__ == "__main__":
    main()
