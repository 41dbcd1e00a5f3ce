"""The December schedule, the school-year sensor, backfill, and small-cell suppression."""

from datetime import date, datetime

import dagster as dg
import pytest

from pipeline.core.paths import DataDir
from pipeline.schedules import december_snapshot_schedule, prior_school_year, school_year_folders
from pipeline.snapshot.publish import SNAPSHOT_TABLES
from tests.conftest import copy_of_sample, ctesnap, query, sorted_rows


@pytest.mark.parametrize(("today", "expected"), [
    (date(2025, 12, 5), 2025), (date(2026, 3, 1), 2025), (date(2026, 7, 1), 2026)])
def test_prior_school_year(today, expected):
    assert prior_school_year(today) == expected


def test_december_schedule_certifies_the_prior_school_year():
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2025, 12, 5, 6, 0))
    request = december_snapshot_schedule(context)
    assert request.partition_key == "2024-25"
    assert request.run_config == {"ops": {"december_snapshot": {"config": {"snapshot_date": "2025-12-05"}}}}
    assert december_snapshot_schedule.cron_schedule == "0 6 5 12 *"
    assert december_snapshot_schedule.job_name == "certify"


def test_sensor_adds_a_partition_per_raw_year_folder(tmp_path, monkeypatch):
    copy_of_sample(tmp_path)
    monkeypatch.setenv("CTESNAP_DATA_DIR", str(tmp_path))
    with dg.instance_for_test() as instance:
        result = school_year_folders(dg.build_sensor_context(instance=instance))
        assert result.dynamic_partitions_requests[0].partition_keys == ["2021-22", "2022-23", "2023-24", "2024-25"]
        instance.add_dynamic_partitions("school_year", ["2021-22", "2022-23", "2023-24", "2024-25"])
        assert school_year_folders(dg.build_sensor_context(instance=instance)).dynamic_partitions_requests == []


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    data = copy_of_sample(tmp_path_factory.mktemp("backfill"))
    result = ctesnap(data, "backfill", "--from", "2023-24", "--to", "2024-25")
    assert result.returncode == 0, result.stderr
    return data


def test_backfill_materializes_each_year_in_order(backfilled):
    instance = dg.DagsterInstance.from_config(str(backfilled.dagster_home))
    runs = sorted(instance.get_runs(), key=lambda r: instance.get_run_stats(r.run_id).start_time)
    assert [r.tags["dagster/partition"] for r in runs] == ["2023-24", "2024-25"]
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
    for year in (2024, 2025):
        assert query(backfilled, year, "select distinct school_year from concentrators") == [(year,)]


def test_a_backfill_equals_the_year_certified_alone(backfilled, sample_certified):
    """2024-25 after 2023-24 in a backfill, or alone (earlier years staged on the way): the same tables."""
    alone = sample_certified("federal")
    for table in SNAPSHOT_TABLES:
        assert sorted_rows(backfilled.warehouse_db(2025), table) == sorted_rows(alone, table), table


def test_no_suppressed_numerator_can_be_recomputed(backfilled):
    """Within every indicator and group type, suppressed numerators come at least two at a time
    (or the `all` row is suppressed too), so `all` minus the published cells never gives one."""
    for year in (2024, 2025):
        rows = query(backfilled, year, """
            select level, recipient_id, indicator, group_type, count(*) filter (where suppressed) as hidden,
                   (select bool_or(suppressed) from perkins_indicators a
                    where a.level = p.level and a.recipient_id is not distinct from p.recipient_id
                    and a.indicator = p.indicator and a.group_type = 'all') as all_hidden
            from perkins_indicators p where group_type <> 'all' group by all""")
        assert any(row[4] for row in rows), "the sample has small cells to suppress"
        for level, recipient, indicator, group_type, hidden, all_hidden in rows:
            assert hidden != 1 or all_hidden, (year, level, recipient, indicator, group_type)
        assert query(backfilled, year, """select count(*) from perkins_indicators
            where suppressed and (numerator is not null or rate is not null)""") == [(0,)]
        assert query(backfilled, year, """select count(*) from perkins_indicators
            where not suppressed and denominator < 10 and group_type <> 'placement_type'""") == [(0,)]
