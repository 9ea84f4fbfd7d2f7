"""Work items, the shared calendar and the RACI-driven approval workflow (DESIGN.md D).
Pure cores: `work/workflow.py` (state machine), `work/checks/` (content checks, with their
word lists in `work/checks/data/`), `work/calendar_tw.py` (Taiwan holidays and make-up
workdays); their sentences are gettext messages in `work/messages.py`."""
