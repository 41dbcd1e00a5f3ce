"""The Perkins V models, run by dbt for one school-year partition."""

import json
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipeline.dbt_project import dbt_project
from pipeline.engines import clear_spark_export, load_spark_tables
from pipeline.partitions import school_year_partitions
from pipeline.resources import CtesnapSettings, warehouse_lock
from pipeline.years import parse_year


class CtesnapDbtTranslator(DagsterDbtTranslator):
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
    dbt_vars = json.dumps(ctesnap.dbt_vars(context.partition_key))
    # dbt's artifacts and logs stay with the data, never in the source tree: one target folder per
    # school year, so each run starts from that year's last parse (dbt re-parses when vars change).
    year = parse_year(context.partition_key)
    target = ctesnap.data.dbt_target(year)
    with warehouse_lock(ctesnap.data):
        if ctesnap.engine == "spark":
            clear_spark_export(ctesnap.data, year)
        # dbt unit tests check the rules on mocked rows; pytest runs them (tests/test_one_place.py).
        yield from dbt.cli(["build", "--exclude-resource-type", "unit_test", "--vars", dbt_vars, *ctesnap.dbt_target],
                           context=context, target_path=target).stream()
        if ctesnap.engine == "spark":
            loaded = load_spark_tables(ctesnap.data, year)
            context.log.info(f"loaded {len(loaded)} tables built by Spark into {ctesnap.data.warehouse_db(year).name}")
