"""The Perkins V models, run by dbt for one school-year partition."""

import json
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipeline.dbt_project import dbt_project, ensure_manifest
from pipeline.partitions import school_year_partitions
from pipeline.resources import CtesnapSettings, warehouse_lock


class CtesnapDbtTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: dict[str, Any]) -> str:
        folder = dbt_resource_props.get("fqn", ["", "models"])[1]
        return {"marts": "perkins", "staging": "staging", "intermediate": "rules"}.get(folder, "rules")


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    partitions_def=school_year_partitions,
    dagster_dbt_translator=CtesnapDbtTranslator(),
)
def perkins_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, ctesnap: CtesnapSettings
                   ) -> Iterator[Any]:
    dbt_vars = json.dumps(ctesnap.dbt_vars(context.partition_key))
    # dbt's artifacts and logs of a run stay with the data, never in the source tree.
    target = ctesnap.data.root / "dbt" / context.run.run_id
    with warehouse_lock(ctesnap.data):
        yield from dbt.cli(["build", "--vars", dbt_vars], context=context, target_path=target).stream()
