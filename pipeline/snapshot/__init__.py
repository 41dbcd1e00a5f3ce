"""Snapshot: the December snapshot published, verified and compared with the current view."""
