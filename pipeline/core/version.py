"""The code version recorded in every warehouse and snapshot."""

import subprocess
from functools import cache

from pipeline import __version__
from pipeline.core.paths import PROJECT_ROOT


@cache
def code_version() -> str:
    """The package version, and the git commit when run from a checkout."""
    try:
        commit = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5, check=True).stdout.strip()
        return f"{__version__}+{commit}"
    except (OSError, subprocess.SubprocessError):
        return __version__
