"""The December schedule, and the sensor that turns raw/ year folders into partitions."""

import os
from datetime import date

import dagster as dg

from pipeline.core.partitions import school_year_partitions
from pipeline.core.paths import DataDir, default_data_dir
from pipeline.core.years import label
from pipeline.jobs import certify_job

# The certification day in December, configurable per state (Wisconsin's is early December).
SNAPSHOT_DAY = int(os.environ.get("CTESNAP_SNAPSHOT_DAY", "5"))


def prior_school_year(today: date) -> int:
    """In December 2025 the prior school year is 2024-25, which ends in 2025."""
    return today.year if today.month >= 7 else today.year - 1


@dg.schedule(job=certify_job, cron_schedule=f"0 6 {SNAPSHOT_DAY} 12 *",
             description="Certify the prior school year's December snapshot.")
def december_snapshot_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    today = context.scheduled_execution_time.date()
    return dg.RunRequest(
        partition_key=label(prior_school_year(today)),
        run_config={"ops": {"december_snapshot": {"config": {"snapshot_date": today.isoformat()}}}},
    )


@dg.sensor(minimum_interval_seconds=60, description="Add a school-year partition per folder in raw/.")
def school_year_folders(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    known = set(context.instance.get_dynamic_partitions(school_year_partitions.name))
    found = [label(y) for y in DataDir(default_data_dir()).raw_years()]
    new = [key for key in found if key not in known]
    return dg.SensorResult(dynamic_partitions_requests=[school_year_partitions.build_add_request(new)] if new else [])
