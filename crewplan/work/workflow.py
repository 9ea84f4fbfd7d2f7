"""The work item state machine and who may move it (pure, no Django; DESIGN.md D).

States: idea → drafting → in_review → approved → scheduled → published, and
changes_requested (back to drafting, or straight back to review).

| action | from | to | who | notify |
| --- | --- | --- | --- | --- |
| start | idea | drafting | R | — |
| shelve | drafting | idea | R | — |
| submit | drafting, changes_requested | in_review | R | A, C (review request) |
| withdraw | in_review | drafting | R | — |
| approve | in_review | approved | approver | R |
| request_changes | in_review, approved, scheduled | changes_requested | approver | R |
| resume | changes_requested | drafting | R | — |
| schedule | approved | scheduled | R or A | — |
| unschedule | scheduled | approved | R or A | — |
| publish | approved, scheduled | published | R or A | R, I |

Who, on this item:

- **R**: a person Responsible for it. A workspace owner stands in only when the item has
  no R at all, so unassigned work is never stuck.
- **approver**: an Accountable who is not also R of the item (no self-approval). A
  workspace owner stands in only when no such A exists (no A, or the only As are also
  R) — and never for an item the owner is R of. `request_changes` follows the same rule,
  and also works on approved and scheduled items, so the client can stop a post that is
  already cleared.
- **R or A**: a person Responsible or Accountable; the owner only when the item has
  neither.
- C, I, other members and outsiders move nothing: they comment and are told.

The content-check gate: when the item's current copy has ERROR findings (`errors=True`;
the service computes them, never the caller), the steps that carry it forward need a
reason written with them:

| action | with errors, who | and what they must write |
| --- | --- | --- |
| submit | R (as always) | a note explaining the errors |
| approve | approver (as always) | an explicit override and its reason |
| schedule, publish | approver (not merely R or A) | an explicit override and its reason |

Overriding is approving the errors, so it follows the approver rule: an R who is not A,
or an R who is also A, may schedule and publish clean copy but not copy with errors; the
owner overrides where no independent A exists (even an item whose only A is its R, which
without errors the owner could not schedule or publish). Every other action
(withdraw, request_changes, unschedule …) steps back or aside and needs nothing.
`allowed_actions(..., errors=True)` lists the actions open to the person given the
reason; `reason_needed()` says which reason each one needs.

Notify lists role letters; the caller resolves them to people and leaves out the actor.
The kinds match `Notification.Kind`: submit → review_request, approve → approved,
request_changes → changes_requested, publish → published. A copy edit that sends an item
back to review (`copy_edited`) should be announced like a submit.

Refusals raise `TransitionRefused` with a stable `code`:

| code | meaning |
| --- | --- |
| unknown_action | no such action |
| invalid_transition | the action does not apply to the item's current state |
| not_responsible | an R-only action by someone who is not R |
| not_accountable | approve / request_changes by someone who is not an eligible approver |
| self_approval | approve / request_changes by an approver who is also R of the item |
| not_responsible_or_accountable | schedule / unschedule / publish by someone neither R nor A |
| errors_need_note | submit of copy with errors without a note explaining them |
| errors_need_override | approve / schedule / publish of such copy without override and reason |
| override_not_approver | schedule / publish of such copy by an R or A who is not an approver |
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

STATES = (
    "idea",
    "drafting",
    "in_review",
    "changes_requested",
    "approved",
    "scheduled",
    "published",
)
ROLE_LETTERS = frozenset({"R", "A", "C", "I"})
CLEARED_STATES = frozenset({"approved", "scheduled", "published"})  # never overdue
COPY_LOCKED_STATES = frozenset({"approved", "scheduled"})  # a copy edit re-opens review

Who = Literal["responsible", "approver", "responsible_or_accountable"]
Reason = Literal["note", "override"]

# What the content-check gate asks for with each action when the copy has errors.
GATED: dict[str, Reason] = {
    "submit": "note",
    "approve": "override",
    "schedule": "override",
    "publish": "override",
}


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the transition table; its verb and button are in work/messages.py."""

    name: str
    sources: frozenset[str]
    target: str
    who: Who
    notify: frozenset[str]


def _action(name: str, sources: Iterable[str], target: str, who: Who, notify: str) -> Action:
    return Action(name, frozenset(sources), target, who, frozenset(notify))


ACTIONS: tuple[Action, ...] = (
    _action("start", ["idea"], "drafting", "responsible", ""),
    _action("shelve", ["drafting"], "idea", "responsible", ""),
    _action(
        "submit",
        ["drafting", "changes_requested"],
        "in_review",
        "responsible",
        "AC",
    ),
    _action("withdraw", ["in_review"], "drafting", "responsible", ""),
    _action("approve", ["in_review"], "approved", "approver", "R"),
    _action(
        "request_changes",
        ["in_review", "approved", "scheduled"],
        "changes_requested",
        "approver",
        "R",
    ),
    _action(
        "resume",
        ["changes_requested"],
        "drafting",
        "responsible",
        "",
    ),
    _action("schedule", ["approved"], "scheduled", "responsible_or_accountable", ""),
    _action(
        "unschedule",
        ["scheduled"],
        "approved",
        "responsible_or_accountable",
        "",
    ),
    _action(
        "publish",
        ["approved", "scheduled"],
        "published",
        "responsible_or_accountable",
        "IR",
    ),
)
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


@dataclass(frozen=True, slots=True)
class Person:
    """The person acting. `user_id` is any id in the same space as `ItemRoles` (the app
    uses membership ids); `roles` are this person's letters on THIS item, from the RACI
    matrix and the item's overrides; `is_owner` is the workspace role."""

    user_id: int
    is_owner: bool = False
    roles: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.roles <= ROLE_LETTERS:
            raise ValueError(f"unknown role letters: {sorted(self.roles - ROLE_LETTERS)}")


@dataclass(frozen=True, slots=True)
class ItemRoles:
    """Who is R and who is A on the item, to decide the owner fallbacks."""

    responsible: frozenset[int] = frozenset()
    accountable: frozenset[int] = frozenset()

    @property
    def independent_approvers(self) -> frozenset[int]:
        """The As who are not also R: the people who may approve without the owner."""
        return self.accountable - self.responsible


class TransitionRefused(Exception):
    """A refused transition. `code` is stable (see the module docstring); the sentence
    people read is `work/messages.refusal_message(refused)`."""

    def __init__(self, code: str, action: str, state: str) -> None:
        self.code = code
        self.action = action
        self.state = state
        super().__init__(f"{code}: {action} in state {state}")


def _who_refusal(who: Who, person: Person, item_roles: ItemRoles) -> str | None:
    """The refusal code of the `who` rule for this person, or None when it lets them."""
    is_r = "R" in person.roles
    is_a = "A" in person.roles
    if who == "responsible":
        if is_r or (person.is_owner and not item_roles.responsible):
            return None
        return "not_responsible"
    if who == "approver":
        owner_stands_in = person.is_owner and not item_roles.independent_approvers
        if not (is_a or owner_stands_in):
            return "not_accountable"
        return "self_approval" if is_r else None
    if is_r or is_a:
        return None
    if person.is_owner and not (item_roles.responsible or item_roles.accountable):
        return None
    return "not_responsible_or_accountable"


def _refusal(action: Action, person: Person, item_roles: ItemRoles, errors: bool) -> str | None:
    """The refusal code for this person, or None when they may act (state and the
    gate's reason aside). With errors, an override needs an approver."""
    code = _who_refusal(action.who, person, item_roles)
    if not (errors and GATED.get(action.name) == "override"):
        return code
    if _who_refusal("approver", person, item_roles) is None:
        return None
    return code or "override_not_approver"


def reason_needed(action: str, errors: bool) -> Reason | None:
    """What the person must write with `action` on copy with (or without) errors: a
    "note" explaining them, an "override" with its reason, or None."""
    return GATED.get(action) if errors else None


def _gate_refusal(action: str, errors: bool, note: str, override: bool) -> str | None:
    needed = reason_needed(action, errors)
    if needed == "note" and not note.strip():
        return "errors_need_note"
    if needed == "override" and not (override and note.strip()):
        return "errors_need_override"
    return None


def allowed_actions(
    state: str, person: Person, item_roles: ItemRoles, *, errors: bool = False
) -> list[Action]:
    """The actions this person may take on an item in `state`, in table order; with
    errors, those they may take once they write the reason `reason_needed` asks for."""
    return [
        action
        for action in ACTIONS
        if state in action.sources and _refusal(action, person, item_roles, errors) is None
    ]


def transition(
    state: str,
    action: str,
    person: Person,
    item_roles: ItemRoles,
    *,
    errors: bool = False,
    note: str = "",
    override: bool = False,
) -> str:
    """The state after `action` (an action name), or TransitionRefused. `errors`: the
    item's current copy has ERROR findings; `note` and `override`: what the person
    wrote with the action (the gate, see the module docstring)."""
    chosen = ACTIONS_BY_NAME.get(action)
    if chosen is None:
        raise TransitionRefused("unknown_action", action, state)
    if state not in chosen.sources:
        raise TransitionRefused("invalid_transition", action, state)
    code = _refusal(chosen, person, item_roles, errors) or _gate_refusal(
        action, errors, note, override
    )
    if code is not None:
        raise TransitionRefused(code, action, state)
    return chosen.target


def notify_on(action: str) -> frozenset[str]:
    """The role letters told of a transition (see the table); empty for none."""
    chosen = ACTIONS_BY_NAME.get(action)
    return chosen.notify if chosen else frozenset()


def copy_edited(state: str) -> str | None:
    """The new state after someone edits the copy: an approved or scheduled item goes
    back to review (its approval was for other words). None when the state stays."""
    return "in_review" if state in COPY_LOCKED_STATES else None


def is_overdue(state: str, publish_at: datetime | None, now: datetime) -> bool:
    """An item not yet approved, scheduled or published whose publish time has come
    (publish_at <= now: at its publish time it should already be cleared). Both times
    must be timezone-aware."""
    if publish_at is None or state in CLEARED_STATES:
        return False
    if publish_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("is_overdue needs timezone-aware datetimes")
    return publish_at <= now
