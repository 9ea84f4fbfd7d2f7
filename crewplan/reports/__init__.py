"""The quarterly review (DESIGN.md F): for now its collaboration health check — the five
collaboration pitfalls judged from the workspace's data (`collaboration.py`), its page
and `crewplan review check`; the report itself (HTML, PDF) comes later."""
