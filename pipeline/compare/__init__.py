"""Compare: two profiles, or proposed performance levels, side by side per recipient."""
