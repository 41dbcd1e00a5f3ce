"""Assembles the ctesnap code location: assets, checks, jobs, schedule, sensor, resources."""

import dagster as dg

from pipeline.assets import checks, compare, dbt, exports, ingest, reports, snapshot
from pipeline.dbt_project import dbt_resource
from pipeline.jobs import amend_job, certify_job, compare_job, export_job, report_job, school_year_job
from pipeline.paths import default_data_dir
from pipeline.resources import CtesnapSettings
from pipeline.run_logger import progress_logger
from pipeline.schedules import december_snapshot_schedule, school_year_folders

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([ingest, dbt, snapshot, reports, exports, compare]),
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
