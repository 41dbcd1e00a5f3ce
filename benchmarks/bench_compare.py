"""Comparison benchmark (SPEC 13): `compare --profiles federal,az` against one `materialize` of the year.

    .venv/bin/python benchmarks/bench_compare.py --students 100000 [--data-dir /tmp/ctesnap-bench-compare]

`ctesnap generate` writes four school years; the latest year is materialized once (so the earlier
years are staged and dbt has parsed, as on a state's machine), then materialized again and compared,
each timed with the peak RSS of its process tree. Target: a comparison costs at most 2.2 times one
materialize of the year.
"""

import subprocess

from bench import CTESNAP, LABEL, YEARS, fresh_run, line, measured


def main() -> None:
    args = fresh_run(__doc__, "/tmp/ctesnap-bench-compare")
    subprocess.run([CTESNAP, "--data-dir", str(args.data_dir), "generate", "--students", str(args.students),
                    "--years", YEARS, "--survey-profile", "federal"], check=True, capture_output=True)
    base = [CTESNAP, "--data-dir", str(args.data_dir)]
    measured([*base, "materialize", "--year", LABEL])  # warm: earlier years staged, dbt parsed
    print(f"{args.students:,} students x 4 years; {LABEL}")
    print(f"{'stage':<28}{'seconds':>9}{'rows/s':>14}{'peak GiB':>14}")
    seconds = {}
    for stage, command in (("materialize", ["materialize", "--year", LABEL]),
                           ("compare federal,az", ["compare", "--year", LABEL, "--profiles", "federal,az"])):
        seconds[stage], sampler, _, _ = measured([*base, *command])
        line(stage, seconds[stage], peak=sampler.peak())
    print(f"compare / materialize: {seconds['compare federal,az'] / seconds['materialize']:.2f}x (target at most 2.2x)")


if __name__ == "__main__":
    main()
