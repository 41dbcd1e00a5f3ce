"""A run changes the staged data whole or not at all.

The staged folders (warehouse/staged/<label>/, reference/) that a run replaces are moved aside,
not deleted, until the run has succeeded. A run that fails anywhere after its ingest (dbt, the
checks, the snapshot) puts them back, so the year's staged data is byte for byte as it was; a run
that was killed leaves them aside, and the next run puts them back before it starts.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.core.paths import DataDir

ABSENT = ".absent"  # marks a folder the run created: undoing the run removes it
_ACTIVE: list[Path] = []  # the aside folder of the run under way in this process, if any


def _aside_folder(data: DataDir) -> Path:
    return data.root / "warehouse" / ".staged-before-run"


def restore(data: DataDir) -> list[str]:
    """Put back what an unfinished run set aside; the names of the folders restored. Safe to repeat
    after a kill part-way: each step can be done again."""
    aside = _aside_folder(data)
    if not aside.is_dir():
        return []
    restored = []
    for entry in sorted(aside.iterdir()):
        name = entry.name.removesuffix(ABSENT)
        current = data.staged / name
        shutil.rmtree(current, ignore_errors=True)
        if entry.is_dir():
            os.replace(entry, current)
        restored.append(name)
    shutil.rmtree(aside)
    return restored


def set_aside(final: Path) -> bool:
    """Before a run replaces the staged folder `final`: keep its first version aside. False when no
    run is keeping versions (the caller removes the old folder itself)."""
    if not _ACTIVE:
        return False
    aside = _ACTIVE[-1]
    kept, absent = aside / final.name, aside / (final.name + ABSENT)
    if kept.exists() or absent.exists():  # replaced earlier in this run: its first version is kept
        shutil.rmtree(final, ignore_errors=True)
    elif final.exists():
        os.replace(final, kept)
    else:
        absent.touch()
    return True


@contextmanager
def undone_unless_kept(data: DataDir, notify: Callable[[str], None]) -> Iterator["Outcome"]:
    """Hold the staged folders a run replaces aside; put them back unless the block calls keep()."""
    restored = restore(data)  # a run killed earlier left its versions aside
    if restored:
        notify(f"put back the staged {', '.join(restored)} as they were before a run that did not finish")
    aside = _aside_folder(data)
    aside.mkdir(parents=True)
    outcome = Outcome()
    _ACTIVE.append(aside)
    try:
        yield outcome
    finally:
        _ACTIVE.remove(aside)
        if outcome.kept:
            shutil.rmtree(aside)
        else:
            restore(data)


class Outcome:
    """Whether the run's staged folders stay."""

    kept = False

    def keep(self) -> None:
        self.kept = True
