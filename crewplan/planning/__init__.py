"""Goals, KPIs, AI tool inventory, ROI and the budget plan (DESIGN.md C), one app in three
parts: `goals/` (goals, KPIs, SMART), `tools/` (AI tools, resources and skills,
evaluation, ROI estimates) and `budget/` (versions, lines, health, charts, the plan file,
imports). Each has `views.py`, `forms.py`, `services.py` (writes), `queries.py` (reads and
loaders) and its pure cores; the models of all three are in `planning/models.py`."""
