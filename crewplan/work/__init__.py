"""Work items, the shared calendar and the RACI-driven approval workflow (DESIGN.md D).
Pure cores: `work/workflow.py` (state machine), `work/checks.py` (content checks),
`work/calendar_tw.py` (Taiwan holidays and make-up workdays)."""
