"""The work item state machine: every (state, action) pair for every kind of person.

The expectations are written out here, not derived from `workflow.ACTIONS`, so that any
change of the rules fails a test and has to be made on purpose."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crewplan.work.messages import action_label, refusal_message
from crewplan.work.workflow import (
    ItemRoles,
    Person,
    TransitionRefused,
    allowed_actions,
    copy_edited,
    is_overdue,
    notify_on,
    reason_needed,
    transition,
)

STATES = [
    "idea",
    "drafting",
    "in_review",
    "changes_requested",
    "approved",
    "scheduled",
    "published",
]
ACTION_ORDER = [
    "start",
    "shelve",
    "submit",
    "withdraw",
    "approve",
    "request_changes",
    "resume",
    "schedule",
    "unschedule",
    "publish",
]

# (action, from state) → to state; every pair not listed is an invalid transition.
TARGETS = {
    ("start", "idea"): "drafting",
    ("shelve", "drafting"): "idea",
    ("submit", "drafting"): "in_review",
    ("submit", "changes_requested"): "in_review",
    ("withdraw", "in_review"): "drafting",
    ("approve", "in_review"): "approved",
    ("request_changes", "in_review"): "changes_requested",
    ("request_changes", "approved"): "changes_requested",
    ("request_changes", "scheduled"): "changes_requested",
    ("resume", "changes_requested"): "drafting",
    ("schedule", "approved"): "scheduled",
    ("unschedule", "scheduled"): "approved",
    ("publish", "approved"): "published",
    ("publish", "scheduled"): "published",
}

# The usual item: rick is R, anna is A, rex is both R and A (so anna is "another A"),
# cora is C, ivan is I; olivia owns the workspace with no role on the item.
RICK, ANNA, REX, CORA, IVAN, OLIVIA, NOBODY = 1, 2, 3, 4, 5, 6, 7
ITEM = ItemRoles(responsible=frozenset({RICK, REX}), accountable=frozenset({ANNA, REX}))
PEOPLE = {
    "R": Person(RICK, roles=frozenset({"R"})),
    "A": Person(ANNA, roles=frozenset({"A"})),
    "R+A": Person(REX, roles=frozenset({"R", "A"})),
    "C": Person(CORA, roles=frozenset({"C"})),
    "I": Person(IVAN, roles=frozenset({"I"})),
    "owner": Person(OLIVIA, is_owner=True),
    "nobody": Person(NOBODY),
}
KINDS = list(PEOPLE)

OK = None
NOT_R = "not_responsible"
NOT_A = "not_accountable"
SELF = "self_approval"
NOT_RA = "not_responsible_or_accountable"

# action → outcome per kind of person, in the order of KINDS:
#                   R       A       R+A     C       I       owner   nobody
WHO = {
    "start": (OK, NOT_R, OK, NOT_R, NOT_R, NOT_R, NOT_R),
    "shelve": (OK, NOT_R, OK, NOT_R, NOT_R, NOT_R, NOT_R),
    "submit": (OK, NOT_R, OK, NOT_R, NOT_R, NOT_R, NOT_R),
    "withdraw": (OK, NOT_R, OK, NOT_R, NOT_R, NOT_R, NOT_R),
    "approve": (NOT_A, OK, SELF, NOT_A, NOT_A, NOT_A, NOT_A),
    "request_changes": (NOT_A, OK, SELF, NOT_A, NOT_A, NOT_A, NOT_A),
    "resume": (OK, NOT_R, OK, NOT_R, NOT_R, NOT_R, NOT_R),
    "schedule": (OK, OK, OK, NOT_RA, NOT_RA, NOT_RA, NOT_RA),
    "unschedule": (OK, OK, OK, NOT_RA, NOT_RA, NOT_RA, NOT_RA),
    "publish": (OK, OK, OK, NOT_RA, NOT_RA, NOT_RA, NOT_RA),
}


def expected(state: str, action: str, kind: str) -> tuple[str | None, str | None]:
    """(new state, refusal code) the rules call for."""
    if (action, state) not in TARGETS:
        return None, "invalid_transition"
    code = WHO[action][KINDS.index(kind)]
    return (TARGETS[(action, state)], None) if code is None else (None, code)


def refusal(state: str, action: str, person: Person, roles: ItemRoles = ITEM) -> str:
    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, person, roles)
    return refused.value.code


def test_the_tables_cover_every_action() -> None:
    assert set(WHO) == set(ACTION_ORDER)
    assert {action for action, _ in TARGETS} == set(ACTION_ORDER)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", ACTION_ORDER)
@pytest.mark.parametrize("state", STATES)
def test_every_state_action_and_person(state: str, action: str, kind: str) -> None:
    new_state, code = expected(state, action, kind)
    if code is None:
        assert transition(state, action, PEOPLE[kind], ITEM) == new_state
    else:
        assert refusal(state, action, PEOPLE[kind]) == code


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_lists_exactly_the_permitted_ones_in_order(state: str, kind: str) -> None:
    wanted = [a for a in ACTION_ORDER if expected(state, a, kind)[1] is None]
    got = allowed_actions(state, PEOPLE[kind], ITEM)
    assert [a.name for a in got] == wanted
    assert all(a.target == TARGETS[(a.name, state)] for a in got)


def test_published_is_final_for_everyone() -> None:
    assert all(allowed_actions("published", p, ITEM) == [] for p in PEOPLE.values())


def test_unknown_action_and_state() -> None:
    assert refusal("drafting", "teleport", PEOPLE["R"]) == "unknown_action"
    assert refusal("archived", "start", PEOPLE["R"]) == "invalid_transition"
    assert allowed_actions("archived", PEOPLE["R+A"], ITEM) == []


# No self-approval, and the owner as the approver of last resort.

ONLY_A_IS_R = ItemRoles(responsible=frozenset({REX}), accountable=frozenset({REX}))
NO_A = ItemRoles(responsible=frozenset({RICK}))
NO_ONE = ItemRoles()


def test_r_and_a_cannot_approve_own_item_when_another_a_exists() -> None:
    for action in ("approve", "request_changes"):
        assert refusal("in_review", action, PEOPLE["R+A"]) == "self_approval"
        assert refusal("in_review", action, PEOPLE["owner"]) == "not_accountable"
    assert transition("in_review", "approve", PEOPLE["A"], ITEM) == "approved"


def test_owner_approves_when_the_only_a_is_the_r() -> None:
    assert transition("in_review", "approve", PEOPLE["owner"], ONLY_A_IS_R) == "approved"
    assert (
        transition("in_review", "request_changes", PEOPLE["owner"], ONLY_A_IS_R)
        == "changes_requested"
    )
    assert refusal("in_review", "approve", PEOPLE["R+A"], ONLY_A_IS_R) == "self_approval"
    assert refusal("in_review", "approve", PEOPLE["nobody"], ONLY_A_IS_R) == "not_accountable"


def test_owner_who_is_the_r_still_cannot_approve() -> None:
    owner_rex = Person(REX, is_owner=True, roles=frozenset({"R", "A"}))
    assert refusal("in_review", "approve", owner_rex, ONLY_A_IS_R) == "self_approval"
    owner_rick = Person(RICK, is_owner=True, roles=frozenset({"R"}))
    assert refusal("in_review", "approve", owner_rick, NO_A) == "self_approval"


def test_owner_approves_an_item_with_no_a() -> None:
    assert transition("in_review", "approve", PEOPLE["owner"], NO_A) == "approved"
    assert refusal("in_review", "approve", PEOPLE["R"], NO_A) == "not_accountable"


def test_an_a_who_is_also_owner_approves_as_a() -> None:
    owner_anna = Person(ANNA, is_owner=True, roles=frozenset({"A"}))
    assert transition("in_review", "approve", owner_anna, ITEM) == "approved"


def test_owner_stands_in_for_r_only_when_the_item_has_none() -> None:
    no_r = ItemRoles(accountable=frozenset({ANNA}))
    assert transition("idea", "start", PEOPLE["owner"], no_r) == "drafting"
    assert transition("drafting", "submit", PEOPLE["owner"], no_r) == "in_review"
    assert refusal("drafting", "submit", PEOPLE["A"], no_r) == "not_responsible"
    assert refusal("drafting", "submit", PEOPLE["owner"], ITEM) == "not_responsible"


def test_owner_publishes_only_an_item_with_neither_r_nor_a() -> None:
    assert transition("approved", "publish", PEOPLE["owner"], NO_ONE) == "published"
    only_a = ItemRoles(accountable=frozenset({ANNA}))
    assert refusal("approved", "publish", PEOPLE["owner"], only_a) == NOT_RA
    assert refusal("approved", "publish", PEOPLE["nobody"], NO_ONE) == NOT_RA


# Messages, notifications, copy edits, overdue.


def test_refusals_explain_themselves_in_both_languages() -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition("drafting", "submit", PEOPLE["A"], ITEM)
    assert refusal_message(refused.value, "zh-hant") == "只有負責（R）的人可以送審。"
    assert refusal_message(refused.value, "en") == (
        "Only the person Responsible (R) for this item can submit for review."
    )
    # The exception itself (logs, tracebacks) names the code, the action and the state.
    assert str(refused.value) == "not_responsible: submit in state drafting"

    with pytest.raises(TransitionRefused) as refused:
        transition("in_review", "approve", PEOPLE["R+A"], ITEM)
    assert refusal_message(refused.value, "zh-hant") == (
        "不能核准自己負責的工作：請另一位當責（A）或擁有者核准。"
    )
    assert "cannot approve" in refusal_message(refused.value, "en")

    with pytest.raises(TransitionRefused) as refused:
        transition("published", "start", PEOPLE["R"], ITEM)
    assert refusal_message(refused.value, "zh-hant") == "工作目前為已發布，不能開始撰寫。"
    assert refusal_message(refused.value, "en") == (
        "You cannot start drafting an item that is published."
    )


@pytest.mark.parametrize(
    ("state", "action", "kind"),
    [
        ("idea", "teleport", "R"),
        ("idea", "approve", "R"),
        ("drafting", "submit", "C"),
        ("in_review", "approve", "I"),
        ("in_review", "approve", "R+A"),
        ("approved", "publish", "nobody"),
    ],
)
def test_every_refusal_code_has_distinct_english_and_chinese(
    state: str, action: str, kind: str
) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, PEOPLE[kind], ITEM)
    en, zh = refusal_message(refused.value, "en"), refusal_message(refused.value, "zh-hant")
    assert en and zh and en != zh
    assert "{" not in en + zh


def test_action_labels() -> None:
    submit = allowed_actions("drafting", PEOPLE["R"], ITEM)[1]
    assert (submit.name, action_label(submit.name, "en"), action_label(submit.name, "zh-hant")) == (
        "submit",
        "Submit for review",
        "送審",
    )


def test_who_is_told_of_each_transition() -> None:
    assert {action: notify_on(action) for action in ACTION_ORDER} == {
        "start": frozenset(),
        "shelve": frozenset(),
        "submit": frozenset({"A", "C"}),
        "withdraw": frozenset(),
        "approve": frozenset({"R"}),
        "request_changes": frozenset({"R"}),
        "resume": frozenset(),
        "schedule": frozenset(),
        "unschedule": frozenset(),
        "publish": frozenset({"R", "I"}),
    }
    assert notify_on("teleport") == frozenset()


def test_person_roles_are_raci_letters() -> None:
    with pytest.raises(ValueError, match="unknown role letters"):
        Person(1, roles=frozenset({"R", "X"}))


def test_editing_copy_after_approval_sends_the_item_back_to_review() -> None:
    assert {state: copy_edited(state) for state in STATES} == {
        "idea": None,
        "drafting": None,
        "in_review": None,
        "changes_requested": None,
        "approved": "in_review",
        "scheduled": "in_review",
        "published": None,
    }


NOW = datetime(2026, 2, 13, 9, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("state", "overdue_at_publish_time"),
    [
        ("idea", True),
        ("drafting", True),
        ("in_review", True),
        ("changes_requested", True),
        ("approved", False),
        ("scheduled", False),
        ("published", False),
    ],
)
def test_overdue_from_the_publish_time_on(state: str, overdue_at_publish_time: bool) -> None:
    assert is_overdue(state, NOW + TICK, NOW) is False
    assert is_overdue(state, NOW, NOW) is overdue_at_publish_time
    assert is_overdue(state, NOW - timedelta(days=1), NOW) is overdue_at_publish_time
    assert is_overdue(state, None, NOW) is False


def test_overdue_compares_instants_across_time_zones() -> None:
    five_pm_in_taipei = datetime(2026, 2, 13, 17, 0, tzinfo=ZoneInfo("Asia/Taipei"))  # = NOW
    assert is_overdue("drafting", five_pm_in_taipei, NOW) is True
    assert is_overdue("drafting", five_pm_in_taipei + TICK, NOW) is False


def test_overdue_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_overdue("drafting", datetime(2026, 2, 13, 9, 0), NOW)


# The content-check gate: copy with ERROR findings needs the R's note to be submitted and
# an approver's override with a reason to be approved, scheduled or published.

NOTE = "override_not_approver"
GATE_REASON = {
    "submit": "note",
    "approve": "override",
    "schedule": "override",
    "publish": "override",
}

# action → outcome per kind of person when the copy has errors and the reason is written,
# in the order of KINDS (only the gated rows differ from WHO):
#                   R       A       R+A     C       I       owner   nobody
WHO_WITH_ERRORS = WHO | {
    "schedule": (NOTE, OK, NOTE, NOT_RA, NOT_RA, NOT_RA, NOT_RA),
    "publish": (NOTE, OK, NOTE, NOT_RA, NOT_RA, NOT_RA, NOT_RA),
}


def expected_with_errors(state: str, action: str, kind: str) -> tuple[str | None, str | None]:
    if (action, state) not in TARGETS:
        return None, "invalid_transition"
    code = WHO_WITH_ERRORS[action][KINDS.index(kind)]
    return (TARGETS[(action, state)], None) if code is None else (None, code)


def gated(state: str, action: str, person: Person, roles: ItemRoles = ITEM, **gate: object) -> str:
    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, person, roles, errors=True, **gate)  # type: ignore[arg-type]
    return refused.value.code


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", ACTION_ORDER)
@pytest.mark.parametrize("state", STATES)
def test_every_state_action_and_person_with_errors(state: str, action: str, kind: str) -> None:
    new_state, code = expected_with_errors(state, action, kind)
    person = PEOPLE[kind]
    reason = GATE_REASON.get(action)
    written = {"note": "Client asked for this wording", "override": reason == "override"}
    if code is not None:
        assert gated(state, action, person, **written) == code
        return
    assert transition(state, action, person, ITEM, errors=True, **written) == new_state
    # Without what the gate asks for: refused with the gate's own code.
    if reason == "note":
        assert gated(state, action, person) == "errors_need_note"
        assert gated(state, action, person, note="   ") == "errors_need_note"
    elif reason == "override":
        assert gated(state, action, person) == "errors_need_override"
        assert gated(state, action, person, note="ok") == "errors_need_override"  # not ticked
        assert gated(state, action, person, override=True) == "errors_need_override"
        assert gated(state, action, person, note=" \n", override=True) == "errors_need_override"
    else:  # steps back or aside: nothing to write
        assert transition(state, action, person, ITEM, errors=True) == new_state


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_with_errors(state: str, kind: str) -> None:
    wanted = [a for a in ACTION_ORDER if expected_with_errors(state, a, kind)[1] is None]
    got = allowed_actions(state, PEOPLE[kind], ITEM, errors=True)
    assert [a.name for a in got] == wanted


def test_clean_copy_needs_no_reason_and_a_note_changes_nothing() -> None:
    assert {a: reason_needed(a, errors=False) for a in ACTION_ORDER} == dict.fromkeys(ACTION_ORDER)
    assert {a: reason_needed(a, errors=True) for a in ACTION_ORDER} == {
        a: GATE_REASON.get(a) for a in ACTION_ORDER
    }
    # Clean copy: an R may publish without writing anything, as before the gate.
    assert transition("approved", "publish", PEOPLE["R"], ITEM) == "published"
    assert transition("approved", "publish", PEOPLE["R"], ITEM, override=True) == "published"


def test_who_is_checked_before_the_gate() -> None:
    # A C without a note hears that only R may submit, not that a note is missing.
    assert gated("drafting", "submit", PEOPLE["C"]) == "not_responsible"
    assert gated("in_review", "approve", PEOPLE["R+A"]) == "self_approval"
    assert gated("approved", "publish", PEOPLE["nobody"]) == "not_responsible_or_accountable"


def test_the_owner_overrides_where_no_independent_a_exists() -> None:
    # The only A is also R: Rex may not override his own errors, the owner may.
    for action in ("schedule", "publish"):
        assert gated("approved", action, PEOPLE["R+A"], ONLY_A_IS_R, note="x", override=True) == (
            "override_not_approver"
        )
        assert transition(
            "approved",
            action,
            PEOPLE["owner"],
            ONLY_A_IS_R,
            errors=True,
            note="x",
            override=True,
        ) in ("scheduled", "published")
        # Clean copy: Rex acts himself and the owner has no part.
        assert transition("approved", action, PEOPLE["R+A"], ONLY_A_IS_R) in (
            "scheduled",
            "published",
        )
        assert refusal("approved", action, PEOPLE["owner"], ONLY_A_IS_R) == NOT_RA
    # No A at all: the owner approves and publishes copy with errors, with a reason.
    assert (
        transition(
            "in_review", "approve", PEOPLE["owner"], NO_A, errors=True, note="x", override=True
        )
        == "approved"
    )
    assert gated("approved", "publish", PEOPLE["R"], NO_A, note="x", override=True) == NOTE


@pytest.mark.parametrize(
    ("state", "action", "kind", "gate"),
    [
        ("drafting", "submit", "R", {}),
        ("in_review", "approve", "A", {"note": "x"}),
        ("approved", "publish", "R", {"note": "x", "override": True}),
    ],
)
def test_gate_refusals_explain_themselves_in_both_languages(
    state: str, action: str, kind: str, gate: dict[str, object]
) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, PEOPLE[kind], ITEM, errors=True, **gate)  # type: ignore[arg-type]
    en, zh = refusal_message(refused.value, "en"), refusal_message(refused.value, "zh-hant")
    assert "content checks found errors" in en
    assert "內容檢查" in zh and "錯誤" in zh
    assert en != zh and "%(" not in en + zh


def test_gate_refusal_sentences() -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition("drafting", "submit", PEOPLE["R"], ITEM, errors=True)
    assert refused.value.code == "errors_need_note"
    assert refusal_message(refused.value, "en") == (
        "The content checks found errors in this copy: fix them, or explain them in a note"
        " to submit for review."
    )
    assert refusal_message(refused.value, "zh-hant") == (
        "內容檢查發現這份文案有錯誤：請先修正，或在備註中說明原因後再送審。"
    )
