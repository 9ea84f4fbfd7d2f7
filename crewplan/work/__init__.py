"""Work items, the shared calendar and the RACI-driven approval workflow (DESIGN.md D).
Pure cores: `work/workflow.py` (state machine), `work/checks.py` (content checks).
Not installed yet (issue 5)."""
