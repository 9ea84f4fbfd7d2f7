"""Goals, KPIs, AI tool inventory, ROI and the budget plan (DESIGN.md C). Pure cores:
`planning/smart.py`, `planning/roi.py`, `planning/health.py`. Not installed yet (issue 4)."""
