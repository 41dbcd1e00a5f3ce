"""A comparison of a school year under two profiles, or of proposed levels (docs/commands.md#ctesnap-compare), from run
configuration: the same work as `ctesnap compare`."""

from pathlib import Path

import dagster as dg

from pipeline.compare.scenarios import CompareError, check_profiles, compare_levels, compare_profiles
from pipeline.core.partitions import school_year_partitions
from pipeline.core.paths import known_profiles
from pipeline.core.resources import CtesnapSettings
from pipeline.core.years import parse_year


class CompareConfig(dg.Config):
    profiles: str = ""  # A,B: the year under profile A and profile B
    levels_file: str = ""  # or: proposed performance levels against the certified years
    suppression_threshold: int | None = None


@dg.asset(partitions_def=school_year_partitions, group_name="compare",
          description="impact.csv, summary.csv and index.html of a comparison (for state staff, not for publication).")
def comparison(context: dg.AssetExecutionContext, config: CompareConfig,
               ctesnap: CtesnapSettings) -> dg.MaterializeResult:
    year = parse_year(context.partition_key)
    try:
        if config.profiles:
            names = [p.strip() for p in config.profiles.split(",")]
            check_profiles(names, known_profiles())
            folder = compare_profiles(ctesnap.data, year, names[0], names[1], config.suppression_threshold,
                                      context.log.info)
        elif config.levels_file:
            folder = compare_levels(ctesnap.data, year, Path(config.levels_file))
        else:
            raise CompareError("give profiles (A,B) or levels_file in the run configuration")
    except CompareError as error:
        raise dg.Failure(description=str(error)) from None
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(folder))})
