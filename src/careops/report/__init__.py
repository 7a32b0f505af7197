"""`careops report monthly`: the month's figures, computed by SQL aggregates, in every format people open."""
