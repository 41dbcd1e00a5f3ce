"""A run that is killed or fails leaves nothing behind: no process, no lock that blocks, no changed
staged year; the next run says what it found and succeeds."""

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

from pipeline.core.paths import DataDir
from pipeline.ingest.read import ingest_reference, ingest_year
from tests.conftest import CTESNAP, ctesnap
from tests.fixtures import write_fixture

YEAR = 2025


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _live_processes_of_group(group: int) -> list[str]:
    """`pid command` of every process of a process group that has not exited (zombies are dead)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        state, _, pgrp = text[text.rindex(")") + 2:].split()[:3]
        if int(pgrp) == group and state != "Z":
            alive.append(f"{stat.parent.name} {text[text.index('(') + 1:text.rindex(')')]}")
    return alive


def _kill_while_dbt_runs(data: DataDir) -> int:
    """Start a materialize in a process group of its own, SIGKILL it once dbt is at work; its group."""
    run = subprocess.Popen([CTESNAP, "--data-dir", str(data.root), "materialize", "--year", "2024-25"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    for line in run.stderr:  # one line a step when not on a terminal
        if "applying the rules (dbt)" in line:
            break
    time.sleep(3)  # dbt's own process is running by now
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    return run.pid


def test_a_killed_or_failed_run_leaves_nothing_behind_and_the_next_run_succeeds(tmp_path):
    data = DataDir(tmp_path)
    write_fixture(data.root)
    ingest_reference(data)
    ingest_year(data, YEAR)
    staged = _hashes(data.staged_year(YEAR))

    # Killed while dbt runs: every process of the run dies with it; its lock file stays, harmless.
    group = _kill_while_dbt_runs(data)
    deadline = time.monotonic() + 10
    while _live_processes_of_group(group) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _live_processes_of_group(group) == []
    assert "(process" in (data.root / "warehouse" / ".run.lock").read_text()

    # A dbt failure after a successful ingest of changed extracts: the staged year is as it was.
    students = data.raw_year(YEAR) / "students.csv"
    students.write_text(students.read_text().replace(",10,", ",11,"))
    data.warehouse_db(YEAR).write_bytes(b"not a DuckDB file" * 100)
    failed = ctesnap(data, "materialize", "--year", "2024-25")
    assert failed.returncode != 0
    assert "did not finish (it was stopped or killed); its lock is taken over" in failed.stderr
    put_back = next(line for line in failed.stderr.splitlines() if "put back the staged" in line)
    assert "2024-25" in put_back and "before a run that did not finish" in put_back
    assert _hashes(data.staged_year(YEAR)) == staged
    assert not (data.root / "warehouse" / ".staged-before-run").exists()

    # The next run succeeds, and leaves no lock file.
    data.warehouse_db(YEAR).unlink()
    result = ctesnap(data, "materialize", "--year", "2024-25")
    assert result.returncode == 0, result.stderr
    assert "taken over" not in result.stderr
    assert _hashes(data.staged_year(YEAR)) != staged  # the changed extract is staged now
    assert sorted(p.name for p in (data.root / "warehouse").iterdir() if p.name.startswith(".")) == []
