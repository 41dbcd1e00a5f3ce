"""`ctesnap-dbt`: dbt's own command line, in a process that dies with the run that started it.

dagster-dbt runs dbt as a child process. If the run is killed (SIGKILL gives it no chance to
stop its children), a dbt left behind would go on writing the warehouse beside the next run.
Linux's parent-death signal ends the child with its parent; it is asked for here, before dbt
starts, because dagster-dbt's public API takes an executable, not a hook into the fork.

It runs dbt in the school year's warehouse folder (env CTESNAP_WAREHOUSE_DIR), where profiles.yml
finds the year's DuckDB file: a path that is the same for every year keeps one parse of the project
good for them all (dagster-dbt starts dbt in the project folder and names it in DBT_PROJECT_DIR).

dagster-dbt also asks the executable for its version before every command (`--version`); that
answer is read from the installed package here, without importing dbt (about 3 s a run).
"""

import ctypes
import os
import signal
import sys
from importlib.metadata import version

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies; exit now if it already has (an
    orphan is handed to init, process 1)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:
        sys.exit(1)


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"Core:\n  - installed: {version('dbt-core')}")
        return
    die_with_parent()
    if warehouse := os.environ.get("CTESNAP_WAREHOUSE_DIR"):
        os.chdir(warehouse)
    from dbt.cli.main import cli

    cli()
