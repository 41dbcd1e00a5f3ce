"""Assembles the ctesnap code location: each stage's assets and checks, the jobs, schedule,
sensor, loggers and resources."""

import dagster as dg

from pipeline.checks import assets as checks
from pipeline.compare import assets as compare
from pipeline.core.paths import default_data_dir
from pipeline.core.resources import CtesnapSettings
from pipeline.core.run_logger import progress_logger
from pipeline.exports import assets as exports
from pipeline.ingest import assets as ingest
from pipeline.jobs import amend_job, certify_job, compare_job, export_job, report_job, school_year_job
from pipeline.rules import assets as rules
from pipeline.rules.dbt_project import dbt_resource
from pipeline.schedules import december_snapshot_schedule, school_year_folders
from pipeline.snapshot import assets as snapshot

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([ingest, rules, snapshot, exports, compare]),
    asset_checks=[checks.expectation_suites],
    jobs=[school_year_job, certify_job, amend_job, report_job, export_job, compare_job],
    schedules=[december_snapshot_schedule],
    sensors=[school_year_folders],
    loggers={"console": progress_logger},
    resources={
        "ctesnap": CtesnapSettings(data_dir=str(default_data_dir())),
        "dbt": dbt_resource(),
    },
)
