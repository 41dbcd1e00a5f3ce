"""Where a ctesnap run's messages go: all of them (dbt's lines too) to the run's log file under
the data directory; to the terminal only the step under way, or every message with --verbose.

Failures are not printed here with their stack traces: the CLI states each failure in one
line, and the full event (with its trace) stays in the run's log and in the Dagster UI.
"""

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import datetime
from pathlib import Path

import dagster as dg

RUN_LOGGER = "ctesnap.run"


class _StepMessage(logging.Formatter):
    """`12:01:02 staged_extracts: message`, without the run id and event plumbing."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{self.formatTime(record, '%H:%M:%S')} {_step(record)}: {_message(record)}"


def _meta(record: logging.LogRecord) -> dict:
    return getattr(record, "dagster_meta", None) or {}


def _step(record: logging.LogRecord) -> str:
    return _meta(record).get("step_key") or _meta(record).get("job_name") or "run"


def _message(record: logging.LogRecord) -> str:
    return _meta(record).get("orig_message") or record.getMessage()


class _StepWatcher(logging.Handler):
    """Tells the caller when the run moves on to another step."""

    def __init__(self, on_step: Callable[[str], None]) -> None:
        super().__init__()
        self.on_step, self.step = on_step, ""

    def emit(self, record: logging.LogRecord) -> None:
        step = _meta(record).get("step_key")
        if step and step != self.step:
            self.step = step
            self.on_step(step)


class _BelowError(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.ERROR


@dg.logger(
    config_schema={"log_level": dg.Field(str, default_value="INFO")},
    description="ctesnap's run log: to the run's log file, and to the terminal as run_log() says.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger(RUN_LOGGER)
    logger.setLevel(init_context.logger_config["log_level"])
    logger.propagate = False
    return logger


@contextmanager
def run_log(path: Path, verbose: bool, on_step: Callable[[str], None]) -> Iterator[None]:
    """Route one run's messages: everything to `path`, the step under way to `on_step`, and with
    `verbose` every message to stderr as well."""
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(RUN_LOGGER)
    with path.open("a") as log_file, redirect_stdout(log_file):  # dbt's own lines come on stdout
        # A first line at once: loading the pipeline takes seconds before Dagster says anything.
        print(f"{datetime.now():%H:%M:%S} run: started (process {os.getpid()}), loading the pipeline", flush=True)
        handlers: list[logging.Handler] = [logging.StreamHandler(log_file), _StepWatcher(on_step)]
        if verbose:
            handlers.append(logging.StreamHandler(sys.stderr))
            handlers[-1].addFilter(_BelowError())
        for handler in handlers:
            if not isinstance(handler, _StepWatcher):
                handler.setFormatter(_StepMessage())
            logger.addHandler(handler)
        try:
            yield
        finally:
            for handler in handlers:
                logger.removeHandler(handler)
