"""Work started in a thread while the run waits on something else."""

import importlib
import threading


def import_in_background(module: str) -> None:
    """Start importing a slow module in a thread, so whoever needs it next finds it loaded."""
    threading.Thread(target=importlib.import_module, args=(module,), daemon=True).start()
