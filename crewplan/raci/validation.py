"""RACI matrix validation: the pure core (no Django).

A matrix is parties (teams and people) × activities, each cell a set of roles
R (Responsible: does the work), A (Accountable: approves, exactly one),
C (Consulted before), I (Informed after). `validate()` returns findings with a
stable `code`, a `severity`, the activity and parties concerned, and the parameters of
its message and suggested fix; the sentences are gettext messages in `raci/messages.py`.

Finding codes (stable; documented in docs/raci.md):

| code | severity | when |
| --- | --- | --- |
| no_accountable | error | an activity has no A |
| multiple_accountable | error | an activity has more than one A |
| no_responsible | error | an activity has no R |
| overlap_responsible | warning | in-house and external both hold R, no stated split |
| external_accountable_strategy | error | external A on a strategy or budget activity |
| accountable_overload | warning | a person is A on more than N activities |
| too_many_consulted | warning | an activity has more than `max_consulted` C |
| empty_team_role | warning | a team with no members holds a role |
| no_split | warning | one team (or its people) holds every R and A of 2+ activities |

Cost: one pass over the cells plus one over the activities, O(cells + activities).
"""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Role(StrEnum):
    R = "R"
    A = "A"
    C = "C"
    I = "I"  # noqa: E741 -- the letter is the name

    # A member equals its letter ("A" == Role.A), so it may hash like it too; str's C
    # hash is several times faster than Enum's, which matters over 60,000 cells.
    __hash__ = str.__hash__


ROLE_ORDER = (Role.R, Role.A, Role.C, Role.I)
_BIT = {Role.R: 1, Role.A: 2, Role.C: 4, Role.I: 8}


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


class Finding(NamedTuple):
    """One finding: a stable `code`, its severity, the activity and parties concerned, and
    the parameters its sentences are made from (`raci/messages.py` words them, in the
    active language). A NamedTuple: immutable, and three times quicker to make than a
    frozen dataclass, which matters over a large matrix."""

    code: str
    severity: Severity
    activity: str | None  # activity key
    parties: tuple[str, ...]  # party keys
    params: Mapping[str, object]


# code -> severity. The parameters of each code: `activity` (its name), `parties` (names,
# in column order) and `party` (the first), plus those `validate()` adds below.
SEVERITIES: dict[str, Severity] = {
    "no_accountable": Severity.ERROR,
    "multiple_accountable": Severity.ERROR,  # count
    "no_responsible": Severity.ERROR,
    "overlap_responsible": Severity.WARNING,  # internal, external: lists of names
    "external_accountable_strategy": Severity.ERROR,  # kind: a Kind
    "accountable_overload": Severity.WARNING,  # count, limit
    "too_many_consulted": Severity.WARNING,  # count, limit
    "empty_team_role": Severity.WARNING,  # roles: "R/C"
    "no_split": Severity.WARNING,  # count: activities; `party` is the team
}


def make_finding(
    code: str, activity: Activity | None, parties: Iterable[Party], **params: object
) -> Finding:
    party_list = tuple(parties)
    return Finding(
        code=code,
        severity=SEVERITIES[code],
        activity=activity.key if activity else None,
        parties=tuple(p.key for p in party_list),
        params={
            "activity": activity.name if activity else "",
            "parties": [p.name for p in party_list],
            "party": party_list[0].name if party_list else "",
            **params,
        },
    )


def validate(matrix: Matrix, rules: Rules = Rules()) -> list[Finding]:
    """All findings for `matrix`, errors first, then in activity order."""
    parties = {p.key: p for p in matrix.parties}
    column = {p.key: i for i, p in enumerate(matrix.parties)}
    empty_teams = {p.key for p in matrix.parties if p.members == 0 and not p.is_person}
    # One pass over the cells, roles as bits (R=1, A=2, C=4, I=8) computed once per
    # distinct set of roles; then one pass over the activities.
    masks: dict[frozenset[Role], int] = {}
    accountable: dict[str, list[str]] = {}
    responsible: dict[str, list[str]] = {}
    consulted: dict[str, list[str]] = {}
    in_empty_team: dict[str, list[tuple[str, int]]] = {}
    for (activity_key, party_key), roles in matrix.cells.items():
        mask = masks.get(roles)
        if mask is None:
            mask = masks[roles] = sum(_BIT[role] for role in roles)
        if not mask or party_key not in parties:
            continue
        if mask & 2:
            accountable.setdefault(activity_key, []).append(party_key)
        if mask & 1:
            responsible.setdefault(activity_key, []).append(party_key)
        if mask & 4:
            consulted.setdefault(activity_key, []).append(party_key)
        if party_key in empty_teams:
            in_empty_team.setdefault(activity_key, []).append((party_key, mask))

    def in_columns(keys: list[str]) -> list[Party]:
        return [
            parties[k] for k in (sorted(keys, key=column.__getitem__) if len(keys) > 1 else keys)
        ]

    errors: list[Finding] = []
    warnings: list[Finding] = []
    per_person: dict[str, int] = {}
    strategic = (Kind.STRATEGY, Kind.BUDGET)
    max_c = rules.max_consulted
    for activity in matrix.activities:
        key = activity.key
        a_keys = accountable.get(key)
        r_keys = responsible.get(key)
        if not a_keys:
            errors.append(make_finding("no_accountable", activity, ()))
        else:
            for party_key in a_keys:
                if parties[party_key].is_person:
                    per_person[party_key] = per_person.get(party_key, 0) + 1
            if len(a_keys) > 1:
                a = in_columns(a_keys)
                errors.append(make_finding("multiple_accountable", activity, a, count=len(a)))
            if activity.kind in strategic:
                outside = [p for p in in_columns(a_keys) if p.kind == EXTERNAL]
                if outside:
                    errors.append(
                        make_finding(
                            "external_accountable_strategy",
                            activity,
                            outside,
                            kind=activity.kind,
                        )
                    )
        if not r_keys:
            errors.append(make_finding("no_responsible", activity, ()))
        elif len(r_keys) > 1 and not activity.split.strip():
            r = in_columns(r_keys)
            internal = [p for p in r if p.kind == INTERNAL]
            external = [p for p in r if p.kind == EXTERNAL]
            if internal and external:
                warnings.append(
                    make_finding(
                        "overlap_responsible",
                        activity,
                        internal + external,
                        internal=[p.name for p in internal],
                        external=[p.name for p in external],
                    )
                )
        c_keys = consulted.get(key)
        if c_keys and len(c_keys) > max_c:
            c = in_columns(c_keys)
            warnings.append(
                make_finding("too_many_consulted", activity, c, count=len(c), limit=max_c)
            )
        for party_key, mask in sorted(in_empty_team.get(key, ()), key=lambda pm: column[pm[0]]):
            letters = "/".join(role.value for role in ROLE_ORDER if mask & _BIT[role])
            warnings.append(
                make_finding("empty_team_role", activity, (parties[party_key],), roles=letters)
            )

    lone = _lone_team(matrix, parties, accountable, responsible)
    if lone is not None:
        team_party = parties.get(lone)
        warnings.append(
            make_finding(
                "no_split",
                None,
                (team_party,) if team_party else (),
                count=len(matrix.activities),
                **({} if team_party else {"party": lone}),
            )
        )
    for party_key, count in per_person.items():
        if count > rules.max_accountable_per_person:
            warnings.append(
                make_finding(
                    "accountable_overload",
                    None,
                    (parties[party_key],),
                    count=count,
                    limit=rules.max_accountable_per_person,
                )
            )
    return errors + warnings


def _lone_team(
    matrix: Matrix,
    parties: Mapping[str, Party],
    accountable: Mapping[str, list[str]],
    responsible: Mapping[str, list[str]],
) -> str | None:
    """The one team holding every R and every A, when the matrix has other teams."""

    def team_of(party: Party) -> str:
        return party.team if party.is_person and party.team else party.key

    teams = {team_of(p) for p in matrix.parties}
    # One activity done and approved in-house says nothing about a split; two or more,
    # every one of them, do.
    if len(teams) < 2 or not accountable or not responsible:
        return None
    if len(set(accountable) | set(responsible)) < 2:
        return None
    holders = {
        team_of(parties[k])
        for held in (accountable, responsible)
        for keys in held.values()
        for k in keys
    }
    return next(iter(holders)) if len(holders) == 1 else None


def external_accountable(matrix: Matrix) -> list[str]:
    """Keys of the activities, in matrix order, on which an external party holds A. While
    no version is published such an A waits for both sides' sign-off (`work/roles.py`)."""
    external = {p.key for p in matrix.parties if p.kind == EXTERNAL}
    held = {a for (a, p), roles in matrix.cells.items() if p in external and Role.A in roles}
    return [a.key for a in matrix.activities if a.key in held]


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
_SEPARATORS = str.maketrans({ch: " " for ch in "/,;+&|、，；．.・ \t\n()[]"})


def parse_cell(text: object) -> frozenset[Role]:
    """Read what people type in a RACI cell: "A/R", "R, C", "ra", full-width "Ｒ",
    "R+A", "R (A)", "(R)", or the Chinese words 負責/當責/諮詢/告知. Empty means no role."""
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


# How people write "not involved" in their own sheets (compared after NFKC and upper case).
NOT_INVOLVED = frozenset({"N", "-", "--", "X", "—", "–", "N/A", "NA", "/", "·", "．"})
# Letters of the RACI variants people use that crewplan has no role for: RASCI's S
# (Support), V (Verify), O (Omitted), Q (Quality review)… Read, and reported per cell.
_OTHER_LETTERS = frozenset("BDEFGHJKLMOPQSTUVWYZ")


class CellReading(NamedTuple):
    """A cell of someone's own sheet: its roles, and letters crewplan has no role for."""

    roles: frozenset[Role]
    unknown: str  # e.g. "S" for RASCI's Support, in the order written


def read_cell(text: object) -> CellReading | None:
    """A cell of a sheet people keep in their own layout, read more widely than
    `parse_cell`: "N", "-", "x", "—", "n/a" mean not involved (no roles); single letters
    outside R, A, C, I ("S", "V") and RASCI combinations ("RS") are kept as `unknown`.
    None when the cell is not letters at all (a name, a note)."""
    if text is None:
        return CellReading(frozenset(), "")
    raw = unicodedata.normalize("NFKC", str(text)).strip().upper()
    if not raw or raw in NOT_INVOLVED:
        return CellReading(frozenset(), "")
    roles: set[Role] = set()
    unknown = ""
    for token in raw.translate(_SEPARATORS).split():
        if token in _WORDS:
            roles.add(_WORDS[token])
        elif all(ch in "RACI" for ch in token):
            roles.update(Role(ch) for ch in token)
        elif len(token) == 1 and token in _OTHER_LETTERS:
            unknown += token
        elif len(token) <= 3 and all(ch in "RACIS" for ch in token):
            roles.update(Role(ch) for ch in token if ch != "S")
            unknown += "S"
        else:
            return None
    return CellReading(frozenset(roles), unknown)
