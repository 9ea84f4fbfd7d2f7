"""Imports of spend, performance and KPI actuals; dashboards (DESIGN.md E). Pure core:
`measure/parsing.py`. Not installed yet."""
