"""Ed-Fi descriptor values to ctesnap codes (docs/inputs.md#ed-fi-resources), through the descriptor map.

The map has the columns namespace, code_value, column, value. ctesnap ships one for Ed-Fi's
default descriptors (default_descriptor_map.csv beside this module); a state's
raw/reference/edfi_descriptor_map.csv overrides it row by row (same namespace, code value and
column) and adds its own namespaces. Two value forms are special: an exit type mapped to
`W5/S5` takes the second code when the exit date is after June 30 of the school year (docs/rules.md#exits-and-leavers),
and an exit type mapped to an empty value is no exit at all (`End of school year`).
"""

from pathlib import Path

import polars as pl

DEFAULT_MAP = Path(__file__).with_name("default_descriptor_map.csv")
KEY = ["namespace", "code_value", "column"]
MAP_FILE = "reference/edfi_descriptor_map.csv"


def descriptor_map(staged_reference: Path) -> pl.DataFrame:
    """The shipped map with the state's rows (the staged reference list) laid over it."""
    default = pl.read_csv(DEFAULT_MAP, infer_schema=False)
    state = staged_reference / "edfi_descriptor_map.parquet"
    if state.is_file():
        own = pl.read_parquet(state).select(*KEY, "value")
        default = pl.concat([own, default.join(own, on=KEY, how="anti")])
    return default.with_columns(pl.col("value").fill_null(""))


def map_descriptors(long: pl.DataFrame, mapping: pl.DataFrame, allowed: dict[str, tuple[str, ...]]
                    ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Map every descriptor of a long frame (`rid`, `field`, `descriptor`) at once.

    Returns the mapped values (`rid`, `field`, `column`, `value`) and, per rid with a value the
    map does not know for that field's columns, the reason naming the first such descriptor.
    One join on the whole descriptor text: the map is small, the documents are many.
    """
    lookup = pl.concat([
        mapping.filter(pl.col("column").is_in(columns)).select(
            pl.lit(field).alias("field"),
            (pl.col("namespace") + pl.lit("#") + pl.col("code_value")).alias("descriptor"), "column", "value")
        for field, columns in allowed.items()])
    found = long.filter(pl.col("descriptor").is_not_null()).join(lookup, on=["field", "descriptor"], how="left")
    values = found.filter(pl.col("column").is_not_null()).select("rid", "field", "column", "value")
    unmapped = (found.filter(pl.col("column").is_null()).sort("rid", "field", "descriptor")
                .group_by("rid", maintain_order=True).first()
                .select("rid", (pl.col("field") + pl.lit(" ") + pl.col("descriptor")
                                + pl.lit(f" is not in the Ed-Fi descriptor map ({MAP_FILE})")).alias("unmapped")))
    return values, unmapped
