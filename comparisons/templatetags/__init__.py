"""Template filters of the comparisons app."""
