"""The console logger of ctesnap runs: progress lines only.

Failures are not printed here with their stack traces: the CLI states each failure in one
line, and the full event (with its trace) stays in the run's log in the Dagster UI.
"""

import logging
import sys

import dagster as dg


class _BelowError(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.ERROR


class _StepMessage(logging.Formatter):
    """`12:01:02 staged_extracts: message`, without the run id and event plumbing."""

    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, "dagster_meta", None) or {}
        step = meta.get("step_key") or meta.get("job_name") or "run"
        message = meta.get("orig_message") or record.getMessage()
        return f"{self.formatTime(record, '%H:%M:%S')} {step}: {message}"


@dg.logger(
    config_schema={"log_level": dg.Field(str, default_value="INFO")},
    description="Progress to stderr, one line per message; failures are left to the caller.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("ctesnap.run")
    logger.setLevel(init_context.logger_config["log_level"])
    logger.propagate = False
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_BelowError())
    handler.setFormatter(_StepMessage())
    logger.addHandler(handler)
    return logger
