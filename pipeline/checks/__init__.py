"""Checks: the Great Expectations suites of expectations/, run as a blocking asset check."""
