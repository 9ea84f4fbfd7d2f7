"""Quarterly review report, HTML and PDF (DESIGN.md F). Not installed yet."""
