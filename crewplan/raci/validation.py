"""RACI matrix validation: the pure core (no Django).

A matrix is parties (teams and people) × activities, each cell a set of roles
R (Responsible: does the work), A (Accountable: approves, exactly one),
C (Consulted before), I (Informed after). `validate()` returns findings with a
stable `code`, a `severity`, the activity and parties concerned, and a message and a
suggested fix in the requested language ("en" or "zh-hant").

Finding codes (stable; documented in docs/raci.md):

| code | severity | when |
| --- | --- | --- |
| no_accountable | error | an activity has no A |
| multiple_accountable | error | an activity has more than one A |
| no_responsible | error | an activity has no R |
| overlap_responsible | warning | in-house and external both hold R, no stated split |
| external_accountable_strategy | warning | external A on a strategy or budget activity |
| accountable_overload | warning | a person is A on more than N activities |
| too_many_consulted | warning | an activity has more than `max_consulted` C |
| empty_team_role | warning | a team with no members holds a role |

Cost: one pass over the cells plus one over the activities, O(cells + activities).
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    R = "R"
    A = "A"
    C = "C"
    I = "I"  # noqa: E741 -- the letter is the name


ROLE_ORDER = (Role.R, Role.A, Role.C, Role.I)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Kind(StrEnum):
    """What an activity is about; strategy and budget decisions stay in-house."""

    STRATEGY = "strategy"
    BUDGET = "budget"
    EXECUTION = "execution"


INTERNAL = "internal"
EXTERNAL = "external"


@dataclass(frozen=True, slots=True)
class Party:
    """A column of the matrix: a team, or a person (`is_person`) in team `team`.
    `members` is a team's head count, None when unknown (then `empty_team_role` is
    not checked, e.g. for a file read without a database)."""

    key: str
    name: str
    kind: str  # INTERNAL or EXTERNAL
    is_person: bool = False
    team: str = ""
    members: int | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    key: str
    name: str
    function: str = ""
    kind: Kind = Kind.EXECUTION
    split: str = ""  # how R is divided when several parties share it


@dataclass(frozen=True, slots=True)
class Matrix:
    parties: tuple[Party, ...]
    activities: tuple[Activity, ...]
    cells: Mapping[tuple[str, str], frozenset[Role]]  # (activity key, party key) -> roles


@dataclass(frozen=True, slots=True)
class Rules:
    """Workspace thresholds."""

    max_accountable_per_person: int = 8
    max_consulted: int = 3


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    activity: str | None  # activity key
    parties: tuple[str, ...]  # party keys
    message: str
    fix: str
    params: Mapping[str, object] = field(default_factory=dict)


# code -> (severity, {language: (message, fix)}); {placeholders} filled from params.
CATALOGUE: dict[str, tuple[Severity, dict[str, tuple[str, str]]]] = {
    "no_accountable": (
        Severity.ERROR,
        {
            "en": (
                "“{activity}” has no Accountable (A): nobody approves the work.",
                "Give exactly one party the A, usually the in-house owner of the result.",
            ),
            "zh-hant": (
                "「{activity}」沒有當責者（A）：沒有人核准這項工作。",
                "請指定一位當責者（A），通常是對成果負責的公司內部人員或團隊。",
            ),
        },
    ),
    "multiple_accountable": (
        Severity.ERROR,
        {
            "en": (
                "“{activity}” has {count} Accountables ({parties}): approvals will conflict.",
                "Keep one A; make the others C (consulted) or R (doing the work).",
            ),
            "zh-hant": (
                "「{activity}」有 {count} 位當責者（{parties}）：核准權會互相衝突。",
                "只保留一位當責者（A），其他人改為諮詢（C）或負責執行（R）。",
            ),
        },
    ),
    "no_responsible": (
        Severity.ERROR,
        {
            "en": (
                "“{activity}” has no Responsible (R): nobody does the work.",
                "Give R to the team or person who will do it.",
            ),
            "zh-hant": (
                "「{activity}」沒有負責者（R）：沒有人執行這項工作。",
                "請把 R 指派給實際執行的團隊或人員。",
            ),
        },
    ),
    "overlap_responsible": (
        Severity.WARNING,
        {
            "en": (
                "“{activity}” is Responsible (R) for both in-house ({internal}) and external "
                "({external}) with no stated split: work gets done twice or not at all.",
                "Write down who does which part (the split), or keep R on one side.",
            ),
            "zh-hant": (
                "「{activity}」同時由公司內部（{internal}）與外部（{external}）負責執行（R），"
                "卻沒有說明分工：工作可能重複或漏做。",
                "請寫下雙方各自負責的部分（分工說明），或只讓一方負責執行。",
            ),
        },
    ),
    "external_accountable_strategy": (
        Severity.WARNING,
        {
            "en": (
                "“{activity}” is a {kind} decision with an external Accountable ({parties}): "
                "the agency would approve its own direction and spend.",
                "Make an in-house party A and the agency R or C.",
            ),
            "zh-hant": (
                "「{activity}」屬於{kind}決策，當責者卻是外部（{parties}）："
                "等於代理商自己核准方向與花費。",
                "請由公司內部擔任當責者（A），代理商改為負責執行（R）或諮詢（C）。",
            ),
        },
    ),
    "accountable_overload": (
        Severity.WARNING,
        {
            "en": (
                "{party} is Accountable for {count} activities (more than {limit}): "
                "approvals will queue behind one person.",
                "Hand some A to another manager or to a team.",
            ),
            "zh-hant": (
                "{party} 擔任 {count} 項工作的當責者（超過 {limit} 項）：核准都卡在同一個人身上。",
                "請把部分當責分給其他主管或團隊。",
            ),
        },
    ),
    "too_many_consulted": (
        Severity.WARNING,
        {
            "en": (
                "“{activity}” consults {count} parties (more than {limit}): decisions slow down.",
                "Keep C for those whose input changes the result; make the rest I (informed).",
            ),
            "zh-hant": (
                "「{activity}」需要諮詢 {count} 方（超過 {limit} 方）：決策會變慢。",
                "只保留意見會影響結果的諮詢對象（C），其他改為告知（I）。",
            ),
        },
    ),
    "empty_team_role": (
        Severity.WARNING,
        {
            "en": (
                "{party} holds {roles} on “{activity}” but has no members.",
                "Invite people into the team, or give the role to a team with people.",
            ),
            "zh-hant": (
                "{party} 在「{activity}」擔任 {roles}，但團隊裡沒有成員。",
                "請邀請成員加入這個團隊，或把角色改給有成員的團隊。",
            ),
        },
    ),
}

KIND_NAMES = {
    "en": {Kind.STRATEGY: "strategy", Kind.BUDGET: "budget", Kind.EXECUTION: "execution"},
    "zh-hant": {Kind.STRATEGY: "策略", Kind.BUDGET: "預算", Kind.EXECUTION: "執行"},
}
LANGUAGES = ("en", "zh-hant")
_LIST_SEPARATOR = {"en": ", ", "zh-hant": "、"}


def _language(language: str) -> str:
    return "zh-hant" if language.lower().startswith("zh") else "en"


def make_finding(
    code: str, activity: Activity | None, parties: Iterable[Party], language: str, **params: object
) -> Finding:
    severity, texts = CATALOGUE[code]
    lang = _language(language)
    party_list = tuple(parties)
    values: dict[str, object] = {
        "activity": activity.name if activity else "",
        "parties": _LIST_SEPARATOR[lang].join(p.name for p in party_list),
        "party": party_list[0].name if party_list else "",
        **params,
    }
    if isinstance(values.get("kind"), Kind):
        values["kind"] = KIND_NAMES[lang][values["kind"]]  # type: ignore[index]
    for key in ("internal", "external"):
        if isinstance(values.get(key), list | tuple):
            values[key] = _LIST_SEPARATOR[lang].join(values[key])  # type: ignore[arg-type]
    message, fix = texts[lang]
    return Finding(
        code=code,
        severity=severity,
        activity=activity.key if activity else None,
        parties=tuple(p.key for p in party_list),
        message=message.format(**values),
        fix=fix.format(**values),
        params=params,
    )


def validate(matrix: Matrix, rules: Rules = Rules(), language: str = "en") -> list[Finding]:
    """All findings for `matrix`, errors first, then in activity order."""
    parties = {p.key: p for p in matrix.parties}
    holders: dict[str, dict[Role, list[Party]]] = defaultdict(lambda: defaultdict(list))
    roles_by_party: dict[tuple[str, str], frozenset[Role]] = {}
    accountable_count: dict[str, list[str]] = defaultdict(list)
    for (activity_key, party_key), roles in matrix.cells.items():
        if not roles or party_key not in parties:
            continue
        party = parties[party_key]
        for role in roles:
            holders[activity_key][role].append(party)
        roles_by_party[(activity_key, party_key)] = roles
        if Role.A in roles and party.is_person:
            accountable_count[party_key].append(activity_key)

    column = {p.key: i for i, p in enumerate(matrix.parties)}
    findings: list[Finding] = []
    for activity in matrix.activities:
        held = holders.get(activity.key, {})
        a = sorted(held.get(Role.A, []), key=lambda p: column[p.key])
        r = sorted(held.get(Role.R, []), key=lambda p: column[p.key])
        c = held.get(Role.C, [])
        if not a:
            findings.append(make_finding("no_accountable", activity, (), language))
        elif len(a) > 1:
            findings.append(
                make_finding("multiple_accountable", activity, a, language, count=len(a))
            )
        if not r:
            findings.append(make_finding("no_responsible", activity, (), language))
        elif not activity.split.strip():
            internal = [p for p in r if p.kind == INTERNAL]
            external = [p for p in r if p.kind == EXTERNAL]
            if internal and external:
                findings.append(
                    make_finding(
                        "overlap_responsible",
                        activity,
                        internal + external,
                        language,
                        internal=[p.name for p in internal],
                        external=[p.name for p in external],
                    )
                )
        if activity.kind in (Kind.STRATEGY, Kind.BUDGET):
            outside = [p for p in a if p.kind == EXTERNAL]
            if outside:
                findings.append(
                    make_finding(
                        "external_accountable_strategy",
                        activity,
                        outside,
                        language,
                        kind=activity.kind,
                    )
                )
        if len(c) > rules.max_consulted:
            findings.append(
                make_finding(
                    "too_many_consulted",
                    activity,
                    c,
                    language,
                    count=len(c),
                    limit=rules.max_consulted,
                )
            )
        for party in sorted(
            {p.key: p for role in held.values() for p in role}.values(), key=lambda p: column[p.key]
        ):
            if not party.is_person and party.members == 0:
                roles = roles_by_party[(activity.key, party.key)]
                letters = "/".join(role.value for role in ROLE_ORDER if role in roles)
                findings.append(
                    make_finding("empty_team_role", activity, (party,), language, roles=letters)
                )

    known = {a.key for a in matrix.activities}
    for party_key, activity_keys in accountable_count.items():
        count = sum(1 for key in activity_keys if key in known)
        if count > rules.max_accountable_per_person:
            findings.append(
                make_finding(
                    "accountable_overload",
                    None,
                    (parties[party_key],),
                    language,
                    count=count,
                    limit=rules.max_accountable_per_person,
                )
            )
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    findings.sort(key=lambda f: order[f.severity])  # stable: activity order kept within a severity
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)


class CellError(ValueError):
    """A cell's text is not a combination of R, A, C and I."""


_WORDS = {
    "R": Role.R,
    "A": Role.A,
    "C": Role.C,
    "I": Role.I,
    "負責": Role.R,
    "執行": Role.R,
    "當責": Role.A,
    "核准": Role.A,
    "諮詢": Role.C,
    "告知": Role.I,
    "知會": Role.I,
}
_SEPARATORS = str.maketrans({ch: " " for ch in "/,;+&|、，；．.・ \t\n"})


def parse_cell(text: object) -> frozenset[Role]:
    """Read what people type in a RACI cell: "A/R", "R, C", "ra", full-width "Ｒ",
    "R+A", or the Chinese words 負責/當責/諮詢/告知. Empty means no role."""
    if text is None:
        return frozenset()
    raw = unicodedata.normalize("NFKC", str(text)).strip().upper()
    if not raw:
        return frozenset()
    roles: set[Role] = set()
    for token in raw.translate(_SEPARATORS).split():
        if token in _WORDS:
            roles.add(_WORDS[token])
        elif all(ch in "RACI" for ch in token):
            roles.update(Role(ch) for ch in token)
        else:
            raise CellError(text)
    return frozenset(roles)


def format_cell(roles: Iterable[Role]) -> str:
    """Roles in the conventional order, e.g. {A, R} -> "R/A"."""
    held = set(roles)
    return "/".join(role.value for role in ROLE_ORDER if role in held)


def infer_kind(name: str) -> Kind:
    """An activity's kind from its name when a file does not say."""
    lowered = name.lower()
    if "預算" in name or "budget" in lowered:
        return Kind.BUDGET
    if "策略" in name or "strategy" in lowered:
        return Kind.STRATEGY
    return Kind.EXECUTION
