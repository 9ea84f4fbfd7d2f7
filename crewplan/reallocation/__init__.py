"""Reallocation (issue 12, "In the app"): a budget version's quarter, the channels'
response curves fitted from the imported weekly figures in the background, the
recommended split of the remaining months' media money, a what-if, and applying the
recommendation as a new re-forecast version."""
