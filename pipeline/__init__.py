"""ctesnap: Perkins V CTE accountability tables, certified as December snapshots."""

import sys

__version__ = "0.1.0"


def _keep_spark_connect_from_exiting() -> None:
    """Great Expectations imports pyspark's Spark Connect classes when pyspark is installed (the
    spark extra). That module ends the whole process (sys.exit(0)) when `__main__` has no file,
    taking it for a doctest run: `python -c ...`, a pytest-xdist worker. ctesnap never uses Spark
    Connect (Spark runs inside dbt's own process), so in such a process the import is refused and
    Great Expectations goes on without it, as it does when pyspark is missing."""
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__spec__", None) is None and not hasattr(main, "__file__") \
            and not hasattr(sys, "ps1"):
        sys.modules.setdefault("pyspark.sql.connect", None)


_keep_spark_connect_from_exiting()
