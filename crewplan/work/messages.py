"""Every sentence the work app's pure cores leave to people, in one place: the content
checks' findings (`work/checks/`), the workflow's refusals, action verbs and state labels
(`work/workflow.py`). The cores return codes and parameters; this module turns them into
gettext messages (English msgids, the zh-Hant catalogue), in the active language or the
one asked for, so translators see every sentence and the completeness test covers them.

Findings stored with a work item keep their code, key and parameters, and are formatted
again each time they are shown, so they read in the reader's language; rows stored before
this (with `message_en` / `message_zh_hant`) still show those.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy

from crewplan.lib import language as languages
from crewplan.lib.active_language import active_language, speaking
from crewplan.work.checks import DISPLAY_WIDTH, GRAPHEMES, UTF16, X_WEIGHTED, Finding
from crewplan.work.models import WorkItem
from crewplan.work.workflow import TransitionRefused

CLAIMS_DISCLAIMER = gettext_lazy("The risky-claims list is a starting point, not legal advice.")

# Finding key -> sentence; the parameters are the finding's, formatted below.
FINDING_TEXTS: dict[str, Promise] = {
    "length": gettext_lazy("Too long for %(channel)s: %(count)s of %(limit)s (%(unit)s)."),
    "length_line": gettext_lazy(
        "Too long for %(channel)s, line %(line)s: %(count)s of %(limit)s (%(unit)s)."
    ),
    "preview": gettext_lazy(
        "%(channel)s: only the first %(limit)s characters show before “See more”; this has"
        " %(count)s."
    ),
    "hashtags": gettext_lazy("%(channel)s: %(count)s hashtags, at most %(limit)s."),
    "glossary": gettext_lazy("Brand glossary: write “%(preferred)s”, not “%(found)s”."),
    "claim_alternative": gettext_lazy(
        "Risky claim “%(found)s” (%(category)s); allowed wording: “%(alternative)s”."
    ),
    "claim": gettext_lazy("Risky claim “%(found)s” (%(category)s); remove it or have it reviewed."),
    "claim_rule_alternative": gettext_lazy(
        "Risky claim “%(found)s”: %(kind)s (%(law)s); allowed wording: “%(alternative)s”."
    ),
    "claim_rule": gettext_lazy(
        "Risky claim “%(found)s”: %(kind)s (%(law)s); remove it or have it reviewed."
    ),
    "simplified": gettext_lazy(
        "Simplified characters “%(found)s”; Traditional: “%(replacement)s”."
    ),
    "phrase": gettext_lazy(
        "“%(found)s” is not written this way in Taiwan; write “%(replacement)s”."
    ),
    "mainland": gettext_lazy("Mainland term “%(found)s”; Taiwan says “%(replacement)s”."),
    "debatable": gettext_lazy(
        "“%(found)s” is used in Taiwan too, but “%(replacement)s” is more usual."
    ),
    "disclosure": gettext_lazy(
        "Sponsored content without a disclosure: add one of %(words)s where readers see it first."
    ),
    "utm": gettext_lazy("Link without %(missing)s: %(url)s"),
}

# The check that found it, as the item page's badge says.
FINDING_LABELS: dict[str, Promise] = {
    "glossary": gettext_lazy("Glossary"),
    "risky_claim": gettext_lazy("Risky claim"),
    "length": gettext_lazy("Length"),
    "hashtags": gettext_lazy("Hashtags"),
    "vocabulary": gettext_lazy("Vocabulary"),
    "disclosure": gettext_lazy("Disclosure"),
    "utm": gettext_lazy("UTM"),
}

UNIT_LABELS: dict[str, Promise] = {
    DISPLAY_WIDTH: gettext_lazy("full-width characters and emoji count 2"),
    X_WEIGHTED: gettext_lazy("as X counts: CJK, full-width punctuation and emoji 2, each link 23"),
    UTF16: gettext_lazy("UTF-16 code units: most emoji count 2, some more"),
    GRAPHEMES: gettext_lazy("characters as readers see them"),
}

# A workspace's own risky claim names its category; one of these, or a word of its own
# (shown as written).
CLAIM_CATEGORIES: dict[str, Promise] = {
    "food_medical": gettext_lazy("food: medical efficacy, 食安法 §28(2)"),
    "food_exaggeration": gettext_lazy("food: exaggerated or misleading function, 食安法 §28(1)"),
    "food_appearance": gettext_lazy("food: changes body appearance, 食安法 §28(1)"),
    "health_food": gettext_lazy(
        "health food: only with a 健康食品 permit and within its approved scope"
    ),
    "cosmetics_exaggeration": gettext_lazy(
        "cosmetics: false or exaggerated, 化粧品衛生安全管理法 §10(1)"
    ),
    "cosmetics_medical": gettext_lazy("cosmetics: medical efficacy, 化粧品衛生安全管理法 §10(2)"),
    "medical": gettext_lazy("medical efficacy only an approved drug or medical device may claim"),
    "slimming": gettext_lazy(
        "slimming or beauty claim misleading without medical evidence (公平會)"
    ),
}

# The category of a claim the workspace added on the rules page (checks/rules.py).
OWN_CLAIM_CATEGORY = gettext_lazy("your own list")

# The kinds of built-in claim (checks/claims.py KINDS).
CLAIM_KINDS: dict[str, Promise] = {
    "medical": gettext_lazy("medical efficacy"),
    "tcm": gettext_lazy("efficacy of a Chinese medicinal herb"),
    "physiological": gettext_lazy("exaggerated or misleading physiological function"),
    "structure": gettext_lazy("changes the body's structure"),
    "appearance": gettext_lazy("changes the body's appearance"),
    "exaggeration": gettext_lazy("false or exaggerated"),
    "health_food": gettext_lazy("a health-food claim"),
}

# The laws of checks/data/claims_tw.toml's [laws], by code.
LAWS: dict[str, Promise] = {
    "food_28_1": gettext_lazy("Act Governing Food Safety and Sanitation art. 28(1)"),
    "food_28_2": gettext_lazy("Act Governing Food Safety and Sanitation art. 28(2)"),
    "health_food_6": gettext_lazy("Health Food Control Act art. 6"),
    "health_food_14": gettext_lazy("Health Food Control Act art. 14"),
    "health_food_14_scope": gettext_lazy(
        "Health Food Control Act art. 14: only within the permit's approved scope"
    ),
    "cosmetics_10_1": gettext_lazy("Cosmetic Hygiene and Safety Act art. 10(1)"),
    "cosmetics_10_2": gettext_lazy("Cosmetic Hygiene and Safety Act art. 10(2)"),
    "drugs_66": gettext_lazy(
        "Pharmaceutical Affairs Act art. 66: the advertisement needs its approval number"
    ),
    "drugs_69": gettext_lazy("Pharmaceutical Affairs Act art. 69"),
    "fair_trade_21": gettext_lazy("Fair Trade Act art. 21"),
    "unknown": gettext_lazy(
        "say what the product is (food, cosmetics …) to know which law applies"
    ),
}

# Workflow actions, lower case, as they read inside a sentence; buttons capitalise them.
ACTION_VERBS: dict[str, Promise] = {
    "start": pgettext_lazy("work item action", "start drafting"),
    "shelve": pgettext_lazy("work item action", "shelve"),
    "submit": pgettext_lazy("work item action", "submit for review"),
    "withdraw": pgettext_lazy("work item action", "withdraw"),
    "approve": pgettext_lazy("work item action", "approve"),
    "request_changes": pgettext_lazy("work item action", "request changes"),
    "resume": pgettext_lazy("work item action", "resume drafting"),
    "schedule": pgettext_lazy("work item action", "schedule"),
    "unschedule": pgettext_lazy("work item action", "unschedule"),
    "publish": pgettext_lazy("work item action", "publish"),
}

# workflow.TransitionRefused codes.
REFUSALS: dict[str, Promise] = {
    "unknown_action": gettext_lazy("There is no action “%(action)s”."),
    "invalid_transition": gettext_lazy("You cannot %(action)s an item that is %(state)s."),
    "not_responsible": gettext_lazy(
        "Only the person Responsible (R) for this item can %(action)s."
    ),
    "not_accountable": gettext_lazy(
        "Only the Accountable (A) for this item can %(action)s; a workspace owner can when no"
        " one else is accountable."
    ),
    "self_approval": gettext_lazy(
        "You are Responsible (R) for this item, so you cannot %(action)s: ask another"
        " Accountable (A) or an owner."
    ),
    "not_responsible_or_accountable": gettext_lazy(
        "Only the Responsible (R) or Accountable (A) for this item can %(action)s."
    ),
    "errors_need_note": gettext_lazy(
        "The content checks found errors in this copy: fix them, or explain them in a note"
        " to %(action)s."
    ),
    "errors_need_override": gettext_lazy(
        "The content checks found errors in this copy: to %(action)s it anyway, tick"
        " “Override the errors” and give your reason."
    ),
    "override_not_approver": gettext_lazy(
        "The content checks found errors in this copy: only an Accountable (A) who is not"
        " Responsible (R) for this item can %(action)s it anyway (an owner when there is no"
        " such A)."
    ),
}

# What the item page asks for next to an action's button when the copy has errors
# (workflow.reason_needed): the label of the text field.
REASON_LABELS: dict[str, Promise] = {
    "note": gettext_lazy("Explain the errors (required)"),
    "override": gettext_lazy("Reason for overriding the errors (required)"),
}
OVERRIDE_LABEL = gettext_lazy("Override the errors")


# --- labels of the cores' codes -------------------------------------------------------


def state_label(state: str) -> str:
    """A work state's one label: `WorkItem.State`'s (the code when unknown)."""
    try:
        return str(WorkItem.State(state).label)
    except ValueError:
        return state


def channel_label(channel: str) -> str:
    try:
        return str(WorkItem.Channel(channel).label)
    except ValueError:
        return channel


def action_label(action: str, language: str | None = None) -> str:
    """The button of a workflow action: its verb with a capital."""
    with speaking(language):
        verb = str(ACTION_VERBS.get(action, action))
    return verb[:1].upper() + verb[1:]


def either(names: Sequence[str]) -> str:
    """People any one of whom may act: "A", "A or B", "A, B or C"."""
    if len(names) < 2:
        return "".join(names)
    separator = pgettext("list separator", ", ")
    return gettext("%(some)s or %(last)s") % {"some": separator.join(names[:-1]), "last": names[-1]}


def approvers(names: Sequence[str]) -> str:
    """Who in the team an item's A names may approve for it."""
    return gettext("(approves: %(people)s)") % {"people": either(names)}


def claim_category_label(category: str) -> str:
    """A risky claim's category as people read it: the label of a known code, "your own
    list" for the claims a workspace adds without one, else the workspace's own word."""
    if category == "custom":
        return str(OWN_CLAIM_CATEGORY)
    return str(CLAIM_CATEGORIES.get(category, category))


def claim_kind_label(kind: str) -> str:
    return str(CLAIM_KINDS.get(kind, kind))


def law_label(code: str) -> str:
    return str(LAWS[code]) if code in LAWS else code


def unit_label(unit: str, language: str | None = None) -> str:
    with speaking(language):
        return str(UNIT_LABELS.get(unit, unit))


def disclaimer(language: str | None = None) -> str:
    with speaking(language):
        return str(CLAIMS_DISCLAIMER)


def refusal_message(refused: TransitionRefused, language: str | None = None) -> str:
    with speaking(language):
        verb = ACTION_VERBS.get(refused.action)
        action = str(verb) if verb is not None else refused.action
        # The state's label, as it reads inside a sentence ("an item that is in review").
        label = state_label(refused.state)
        state = label[:1].lower() + label[1:]
        return str(REFUSALS[refused.code]) % {"action": action, "state": state}


# --- findings -------------------------------------------------------------------------


def _quoted(words: Iterable[str]) -> str:
    quote = pgettext("one of several words offered", "“%(word)s”")
    return pgettext("between words offered as alternatives", " / ").join(
        quote % {"word": w} for w in words
    )


def _values(key: str, params: Mapping[str, Any], replacement: str) -> dict[str, str]:
    values = {"replacement": replacement}
    values.update({name: str(value) for name, value in params.items()})
    if "channel" in params:
        values["channel"] = channel_label(str(params["channel"]))
    if "unit" in params:
        values["unit"] = unit_label(str(params["unit"]))
    if key in ("length", "length_line", "preview"):
        values["count"] = f"{int(params['count']):,}"
        values["limit"] = f"{int(params['limit']):,}"
    if "kind" in params:
        values["kind"] = claim_kind_label(str(params["kind"]))
    if "law" in params:
        values["law"] = law_label(str(params["law"]))
    if "category" in params:
        category = str(params["category"])
        values["category"] = claim_category_label(category)
    if "words" in params:
        values["words"] = _quoted(params["words"])
    if "missing" in params:
        values["missing"] = ", ".join(params["missing"])
    return values


def finding_message(finding: Finding | Mapping[str, Any], language: str | None = None) -> str:
    """The sentence of a finding (the core's, or one stored with an item) in `language`,
    else the active language."""
    if isinstance(finding, Finding):
        stored: Mapping[str, Any] = {}
        key, params, replacement = finding.key or finding.code, finding.params, finding.replacement
    else:
        stored = finding
        key, params = stored.get("key") or "", stored.get("params") or {}
        replacement = str(stored.get("replacement", ""))
    with speaking(language):
        if key in FINDING_TEXTS:
            return str(FINDING_TEXTS[key]) % _values(key, params, replacement)
        # Stored before findings kept their parameters: the two sentences of then.
        pair = (stored.get("message_en", ""), stored.get("message_zh_hant", ""))
        return str(languages.pick(pair, active_language()) or stored.get("message", key))


def findings_for_display(
    stored: Iterable[Mapping[str, Any]], language: str | None = None
) -> list[dict[str, Any]]:
    """Findings stored with an item, with their sentence (`text`) and their check's
    badge (`label`) in the reader's language."""
    with speaking(language):
        return [
            {
                **f,
                "text": finding_message(f),
                "label": str(FINDING_LABELS.get(f.get("code", ""), f.get("code", ""))),
            }
            for f in stored
        ]


def no_activities(slug: str) -> str:
    """The new-item form's hint while the matrix has no activity to choose: a work item
    takes its R, A, C and I from one."""
    return format_html(
        '{} <a href="{}">{}</a>',
        gettext("The RACI matrix has no activities yet: every work item belongs to one."),
        reverse("raci_matrix", args=[slug]),
        gettext("Set up the matrix first →"),
    )
