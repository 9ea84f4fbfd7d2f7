import re
from pathlib import Path

from crewplan.audit.labels import ACTION_LABELS

PACKAGE = Path(__file__).resolve().parent.parent / "crewplan"


def test_services_record_actions_of_the_enum_only() -> None:
    """No free-string action: every record names an AuditAction member (which has its
    label, below), so a typo cannot write an action nobody can read."""
    free, members = set(), set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        free |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        members |= set(re.findall(r"action=AuditAction\.([A-Z_]+)", text))
    assert free == set(), sorted(free)
    assert len(members) > 40, "no record() calls found"


def test_every_audit_action_is_a_member_with_a_label() -> None:
    """Actions are an enum, not free strings: each member has its label and no label
    names an action that does not exist."""
    from crewplan.audit.actions import AuditAction

    assert set(ACTION_LABELS) == set(AuditAction)
    assert all(isinstance(key, AuditAction) for key in ACTION_LABELS)
