"""What every stage shares: paths, school years, locks, the run's settings and partitions, the
certification log, workbooks, the run log."""
