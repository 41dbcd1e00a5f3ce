"""The Perkins V models, run by dbt for one school-year partition."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipeline.core.background import import_in_background
from pipeline.core.partitions import school_year_partitions
from pipeline.core.resources import CtesnapSettings, dbt_environment, warehouse_lock
from pipeline.core.years import parse_year
from pipeline.rules.dbt_project import dbt_project, with_last_parse
from pipeline.rules.engines import clear_spark_run, load_spark_tables


class CtesnapDbtTranslator(DagsterDbtTranslator):
    """dbt's tests stay dbt's (a failing one fails the build, and the run log lists them all), not
    Dagster asset checks: the checks users review are the expectation suites, and each Dagster
    event costs the run a write to its SQLite history (94 tests made 280 events)."""

    def __init__(self) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_asset_checks=False))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """A source table is the ingest asset that writes it: staged_<table>, reference_<table>."""
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(f"{dbt_resource_props['source_name']}_{dbt_resource_props['name']}")
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: dict[str, Any]) -> str:
        folder = dbt_resource_props.get("fqn", ["", "models"])[1]
        groups = {"marts": "perkins", "staging": "staging", "intermediate": "rules", "audit": "audit"}
        return groups.get(folder, "rules")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    partitions_def=school_year_partitions,
    dagster_dbt_translator=CtesnapDbtTranslator(),
)
def perkins_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, ctesnap: CtesnapSettings
                   ) -> Iterator[Any]:
    # dbt's artifacts and logs stay with the data, never in the source tree: one target folder per
    # school year, which starts from the install's parse (dbt_project.py).
    year = parse_year(context.partition_key)
    target = with_last_parse(ctesnap.data.dbt_target(year))
    ctesnap.data.warehouse_db(year).parent.mkdir(parents=True, exist_ok=True)
    with warehouse_lock(ctesnap.data), dbt_environment(ctesnap.dbt_parameters(context.partition_key)):
        if ctesnap.engine == "spark":
            clear_spark_run(ctesnap.data, year)
        # dbt unit tests check the rules on mocked rows; pytest runs them (tests/test_one_place.py).
        invocation = dbt.cli(["build", "--exclude-resource-type", "unit_test", *ctesnap.dbt_target],
                             context=context, target_path=target)
        # dbt has started in its own process: load Great Expectations (5-7 s) for the checks that follow.
        import_in_background("great_expectations")
        yield from (event for event in invocation.stream() if not isinstance(event, dg.AssetObservation))
        if ctesnap.engine == "spark":
            loaded = load_spark_tables(ctesnap.data, year)
            context.log.info(f"loaded {len(loaded)} tables built by Spark into the {context.partition_key} warehouse")
