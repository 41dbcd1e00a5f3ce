"""Synthetic: a generated state's extracts, reference lists and placement records."""
