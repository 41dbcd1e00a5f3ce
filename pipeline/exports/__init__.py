"""Exports: the review report, the federal and public tables, recipient packets and errata."""
