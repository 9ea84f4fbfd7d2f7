import re
from pathlib import Path

from crewplan.audit.labels import ACTION_LABELS

PACKAGE = Path(__file__).resolve().parent.parent / "crewplan"


def test_every_recorded_action_has_a_label() -> None:
    """The audit page shows each action in words: a new action needs its label."""
    recorded = set()
    for path in PACKAGE.rglob("*.py"):
        recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert recorded, "no record() calls found"
    assert recorded <= set(ACTION_LABELS), sorted(recorded - set(ACTION_LABELS))
