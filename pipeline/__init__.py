"""ctesnap: Perkins V CTE accountability tables, certified as December snapshots."""

__version__ = "0.1.0"
