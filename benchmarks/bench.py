"""State-scale benchmark: raw extracts to certified snapshot, against the bare-SQL floor.

    .venv/bin/python benchmarks/bench.py --students 100000 [--data-dir /tmp/ctesnap-bench]

Runs, through the same `ctesnap` commands users run: `generate` (4 school years), then
`snapshot` of the latest year (ingest, dbt, expectations, publish), then `export --only packets`
(one packet per eligible recipient). It prints the state-level rates beside the ranges real
states publish, and certifies the same data twice more, without the version-2 inputs (graduation
cohorts, assessments, recipients, performance levels) and without the four placement record files
(Clearinghouse, wage, military, service), to show what each costs. Per stage it prints wall time,
input rows per second and the peak RSS of the whole process tree (sampled every 50 ms); the
stages of the snapshot run come from its Dagster step timings. Then it runs benchmarks/floor.sql,
checks that the floor and the pipeline derive the same participants, concentrators (with primary
program), CTE graduates, placement-eligible students and placements, and prints the ratios.
"""

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb
import psutil

from pipeline.core.paths import DataDir

ROOT = Path(__file__).resolve().parent.parent
CTESNAP = str(Path(sys.executable).with_name("ctesnap"))
YEARS = "2021-22..2024-25"
YEAR, LABEL = 2025, "2024-25"


@dataclass
class Sampler:
    """Peak RSS of a process and its children, sampled in a thread."""

    pid: int
    samples: list[tuple[float, int]] = field(default_factory=list)

    def run(self, done: threading.Event) -> None:
        root = psutil.Process(self.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                self.samples.append((time.time(), sum(p.memory_info().rss for p in tree if p.is_running())))
            except psutil.Error:
                pass
            done.wait(0.05)

    def peak(self, start: float = 0.0, end: float = float("inf")) -> int:
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)


def measured(command: list[str]) -> tuple[float, Sampler, float, float]:
    started = time.time()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler, done = Sampler(process.pid), threading.Event()
    thread = threading.Thread(target=sampler.run, args=(done,))
    thread.start()
    _, stderr = process.communicate()
    done.set()
    thread.join()
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed: {stderr.strip().splitlines()[-1]}")
    return time.time() - started, sampler, started, time.time()


def fresh_run(doc: str, data_dir: str) -> argparse.Namespace:
    """--students and --data-dir of a benchmark whose data directory starts empty."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=Path(data_dir))
    args = parser.parse_args()
    shutil.rmtree(args.data_dir, ignore_errors=True)
    return args


def line(stage: str, seconds: float, rows: int | None = None, peak: int | None = None) -> None:
    rate = f"{rows / max(seconds, 1e-9):,.0f}" if rows else ""
    memory = f"{peak / 2**30:.2f}" if peak else ""
    print(f"{stage:<28}{seconds:>9.1f}{rate:>14}{memory:>14}")


def input_rows(data: Path) -> int:
    total = 0
    for files in (data / "warehouse" / "staged").glob("[0-9]*/files.json"):
        total += sum(f["rows_read"] for f in json.loads(files.read_text())["files"])
    return total


def step_windows(data: Path) -> list[tuple[str, float, float]]:
    instance = dg.DagsterInstance.from_config(str(data / "dagster_home"))
    run = instance.get_runs(limit=1)[0]
    stats = instance.get_run_step_stats(run.run_id)
    return sorted(((s.step_key, s.start_time, s.end_time) for s in stats), key=lambda s: s[1])


def floor(data: Path) -> tuple[float, Sampler, dict[str, float]]:
    """Run floor.sql in its own process: (wall time, memory samples, seconds per phase)."""
    sql = (ROOT / "benchmarks" / "floor.sql").read_text().format(raw=data / "raw", year=YEAR)
    load, derive = sql.split("-- derive")
    database, phases = data / "floor.duckdb", data / "floor_phases.json"
    database.unlink(missing_ok=True)
    script = (f"import duckdb, json, time\ncon = duckdb.connect({str(database)!r})\n"
              f"t = time.time(); con.execute({load!r}); load = time.time() - t\n"
              f"t = time.time(); con.execute({derive!r}); derive = time.time() - t\n"
              f"open({str(phases)!r}, 'w').write(json.dumps({{'load': load, 'derive': derive}}))")
    wall, sampler, _, _ = measured([sys.executable, "-c", script])
    return wall, sampler, json.loads(phases.read_text())


def compare(data: Path) -> list[str]:
    """Differences between the pipeline's tables and the floor's; empty when they agree."""
    checks = {
        "participants": ("select student_id from participants",
                         f"select student_id from floor_participants where school_year = {YEAR}"),
        "concentrators": ("select student_id, primary_program_code from concentrators",
                          "select student_id, primary_program_code from floor_concentrators "
                          f"where school_year = {YEAR}"),
        "cte_graduates": ("select student_id, exit_code from cte_graduates",
                          f"select student_id, exit_code from floor_leavers where school_year = {YEAR} and graduate"),
        "placement_eligibility": ("select student_id, exit_code from placement_eligibility",
                                  "select student_id, exit_code from floor_leavers "
                                  f"where school_year = {YEAR} and eligible"),
        "placement_outcomes": ("select student_id, placed from placement_outcomes",
                               "select student_id, placed from floor_placement_outcomes"),
    }
    problems = []
    with duckdb.connect(str(data / "floor.duckdb"), read_only=True) as con:
        con.execute(f"attach '{DataDir(data).warehouse_db(YEAR)}' as pipeline (read_only)")
        con.execute("use pipeline")  # the pipeline's tables unqualified, the floor's as floor.main.*
        for table, (ours, theirs) in checks.items():
            theirs = theirs.replace("from ", "from floor.main.", 1)
            ours_only = con.execute(f"select count(*) from ({ours} except {theirs})").fetchone()[0]
            theirs_only = con.execute(f"select count(*) from ({theirs} except {ours})").fetchone()[0]
            rows = con.execute(f"select count(*) from ({ours})").fetchone()[0]
            if ours_only or theirs_only:
                problems.append(f"{table}: {ours_only} rows only in the pipeline, {theirs_only} only in the floor")
            else:
                print(f"  {table}: {rows:,} rows, identical")
    return problems


# Published state figures (shared/notes/perkins-federal-reporting.md): the generator should land here.
SANITY = {"1S1": (90, 99), "3S1": (85, 97), "4S1": (20, 40)}
NEW_INPUTS = ("graduation_cohort", "assessments", "recipients", "performance_levels")
RECORD_FILES = ("nsc_detail", "wage_records", "military_service", "service_programs")


def sanity(data: Path) -> None:
    with duckdb.connect(str(DataDir(data).warehouse_db(YEAR)), read_only=True) as con:
        rates = dict(con.execute("select indicator, rate from perkins_indicators "
                                 "where level = 'state' and group_type = 'all' order by indicator").fetchall())
        concentrators, participants = (rates.get("CONCENTRATORS"), rates.get("PARTICIPANTS"))
        recipients = con.execute("select count(distinct recipient_id) from students").fetchone()[0]
    print("\nstate-level rates (%), against published state ranges:")
    for indicator, rate in rates.items():
        low, high = SANITY.get(indicator, (None, None))
        verdict = "" if low is None else ("  in range" if low <= rate <= high else f"  OUT of {low}-{high}")
        print(f"  {indicator:<14}{rate:>7.2f}{verdict}")
    print(f"  concentrators / participants: {concentrators / participants:.2f}; "
          f"eligible recipients: {recipients:,}")


def without(data: Path, kinds: tuple[str, ...]) -> Path:
    """A copy of the raw extracts without the files (or delivery folders) of these kinds."""
    other = data.with_name(f"{data.name}-without-{kinds[0]}")
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(data / "raw", other / "raw",
                    ignore=lambda _, names: [n for n in names if n.split(".")[0] in kinds])
    return other


def snapshot_without(data: Path, kinds: tuple[str, ...], what: str, with_wall: float) -> Path:
    """Certify the same data without some inputs and print what they add to the whole snapshot."""
    other = without(data, kinds)
    other_wall, other_sampler, _, _ = measured([CTESNAP, "--data-dir", str(other), "snapshot", "--year", LABEL,
                                                "--date", "2025-12-05"])
    print(f"snapshot without {what}: {other_wall:.1f} s (peak {other_sampler.peak() / 2**30:.2f} GiB); "
          f"with them: {with_wall:.1f} s (+{100 * (with_wall / other_wall - 1):.0f}%)")
    return other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/ctesnap-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the data directory afterwards")
    args = parser.parse_args()
    data = args.data_dir / str(args.students)
    shutil.rmtree(data, ignore_errors=True)
    base = [CTESNAP, "--data-dir", str(data)]

    print(f"ctesnap benchmark: {args.students:,} students x 4 school years, certifying {LABEL}")
    generate_wall, generate_sampler, _, _ = measured(
        [*base, "generate", "--students", str(args.students), "--years", YEARS, "--seed", "1", "--error-rate", "0",
         "--survey-profile", "federal"])
    snapshot_wall, sampler, started, ended = measured([*base, "snapshot", "--year", LABEL, "--date", "2025-12-05"])
    rows = input_rows(data)
    print(f"\n{'stage':<28}{'wall s':>9}{'rows/s':>14}{'peak RSS GiB':>14}")
    line("generate", generate_wall, rows, generate_sampler.peak())
    steps = step_windows(data)
    for step, start, end in steps:
        line(f"  {step}", end - start, rows, sampler.peak(start, end))
    line("  start-up and run overhead", snapshot_wall - sum(end - start for _, start, end in steps))
    line("snapshot (whole run)", snapshot_wall, rows, sampler.peak(started, ended))
    floor_wall, floor_sampler, phases = floor(data)
    line("floor (bare DuckDB SQL)", floor_wall, rows, floor_sampler.peak())
    line("  load CSV", phases["load"])
    line("  derive", phases["derive"])
    durations = {step: end - start for step, start, end in steps}
    ingest = durations.get("staged_extracts", 0) + durations.get("reference_lists", 0)
    dbt = durations.get("perkins_models", 0)
    print(f"\nratios: whole run / floor {snapshot_wall / floor_wall:.1f}x; ingest / floor load "
          f"{ingest / phases['load']:.1f}x; dbt / floor derive {dbt / phases['derive']:.1f}x")
    print("\nfloor vs pipeline:")
    problems = compare(data)
    for problem in problems:
        print(f"  MISMATCH {problem}")
    sanity(data)
    packets_wall, packets_sampler, _, _ = measured([*base, "export", "--year", LABEL, "--only", "packets"])
    packets = len(list((data / "exports" / LABEL / "2025-12-05" / "packets").iterdir()))
    print(f"\npackets: {packets:,} written in {packets_wall:.1f} s (peak {packets_sampler.peak() / 2**30:.2f} GiB)")
    others = [snapshot_without(data, NEW_INPUTS, "cohorts, assessments, recipients and levels", snapshot_wall),
              snapshot_without(data, RECORD_FILES, "the four placement record files", snapshot_wall)]
    if not args.keep:
        for folder in (data, *others):
            shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
