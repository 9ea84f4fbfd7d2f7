"""The sentences of the RACI core, formatted in one place: the findings of
`raci/validation.py` and what the matrix file reader (`raci/xlsx.py`) refuses or
reports, from their stable codes and parameters. Every sentence is a gettext message
(English msgid, zh-Hant in the catalogue), worded in the active language, or in
`language` when one is given (a command's, an export's)."""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext, gettext_noop, pgettext

from crewplan.lib import file_messages
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci.models import Activity
from crewplan.raci.validation import Finding, Kind, Severity
from crewplan.raci.xlsx import RowProblem

# code -> (message, suggested fix)
FINDINGS: dict[str, tuple[str, str]] = {
    "no_accountable": (
        gettext_noop("“%(activity)s” has no Accountable (A): nobody approves the work."),
        gettext_noop("Give exactly one party the A, usually the in-house owner of the result."),
    ),
    "multiple_accountable": (
        gettext_noop(
            "“%(activity)s” has %(count)s Accountables (%(parties)s): approvals will conflict."
        ),
        gettext_noop("Keep one A; make the others C (consulted) or R (doing the work)."),
    ),
    "no_responsible": (
        gettext_noop("“%(activity)s” has no Responsible (R): nobody does the work."),
        gettext_noop("Give R to the team or person who will do it."),
    ),
    "overlap_responsible": (
        gettext_noop(
            "“%(activity)s” is Responsible (R) for both in-house (%(internal)s) and external "
            "(%(external)s) with no stated split: work gets done twice or not at all."
        ),
        gettext_noop("Write down who does which part (the split), or keep R on one side."),
    ),
    "external_accountable_strategy": (
        gettext_noop(
            "“%(activity)s” is a %(kind)s decision with an external Accountable (%(parties)s): "
            "the agency would approve its own direction and spend."
        ),
        gettext_noop("Make an in-house party A and the agency R or C."),
    ),
    "accountable_overload": (
        gettext_noop(
            "%(party)s is Accountable for %(count)s activities (more than %(limit)s): "
            "approvals will queue behind one person."
        ),
        gettext_noop("Hand some A to another manager or to a team."),
    ),
    "too_many_consulted": (
        gettext_noop(
            "“%(activity)s” consults %(count)s parties (more than %(limit)s): decisions slow down."
        ),
        gettext_noop(
            "Keep C for those whose input changes the result; make the rest I (informed)."
        ),
    ),
    "empty_team_role": (
        gettext_noop("%(party)s holds %(roles)s on “%(activity)s” but has no members."),
        gettext_noop("Invite people into the team, or give the role to a team with people."),
    ),
}

# What makes a matrix file unusable (raci/xlsx.read_matrix), by UnusableFile code.
FILE_PROBLEMS: dict[str, str] = {
    "no_sheet": gettext_noop("the workbook has no sheet"),
    "no_header": gettext_noop("row 1 must start with 職能/Function and 工作項目/Activity columns"),
    "no_parties": gettext_noop("row 1 names no team or person columns"),
    "too_many_parties": gettext_noop("more than 200 party columns"),
    "duplicate_party": gettext_noop("two columns have the same name"),
    "bad_team_kind": gettext_noop(
        "row 2 must give internal/external (內部/外部) under every party column"
    ),
}

# A row of a matrix file that could not be read (raci/xlsx.RowProblem), by code.
ROW_PROBLEMS: dict[str, str] = {
    "bad_cell": gettext_noop("%(column)s: “%(text)s” is not a combination of R, A, C and I"),
    "no_activity_name": gettext_noop("a row with roles but no activity name"),
    "no_function": gettext_noop("no function (職能) for this activity"),
    "bad_kind": gettext_noop(
        "kind “%(text)s” is not strategy, budget or execution (策略/預算/執行)"
    ),
    "duplicate_activity": gettext_noop("“%(text)s” appears twice in the same function"),
}


def _names(value: object) -> object:
    if isinstance(value, list | tuple):
        return pgettext("list separator", ", ").join(str(v) for v in value)
    return value


def _kind(kind: Kind) -> str:
    # The activity kind's one label, as a word inside a sentence ("a strategy decision";
    # Chinese has no case).
    return str(Activity.KindChoices(kind).label).lower()


def _values(params: Mapping[str, object]) -> dict[str, object]:
    values = {name: _names(value) for name, value in params.items()}
    if isinstance(params.get("kind"), Kind):
        values["kind"] = _kind(params["kind"])  # type: ignore[arg-type]
    return values


def wording(finding: Finding, language: str | None = None) -> tuple[str, str]:
    """The finding's message and suggested fix."""
    message, fix = FINDINGS[finding.code]
    with file_messages.speaking(language):
        values = _values(finding.params)
        return gettext(message) % values, gettext(fix) % values


class Worded:
    """A finding with its sentences, worded when first read (a large matrix with many
    findings pays only for those someone reads), for templates, exports and commands."""

    __slots__ = ("_text", "finding", "language")

    def __init__(self, finding: Finding, language: str | None = None) -> None:
        self.finding = finding
        self.language = language
        self._text: tuple[str, str] | None = None

    code = property(lambda self: self.finding.code)
    activity = property(lambda self: self.finding.activity)
    parties = property(lambda self: self.finding.parties)
    params = property(lambda self: self.finding.params)

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    def _wording(self) -> tuple[str, str]:
        if self._text is None:
            self._text = wording(self.finding, self.language)
        return self._text

    @property
    def message(self) -> str:
        return self._wording()[0]

    @property
    def fix(self) -> str:
        return self._wording()[1]


def worded(findings: Iterable[Finding], language: str | None = None) -> list[Worded]:
    return [Worded(f, language) for f in findings]


def row_problem(problem: RowProblem, language: str | None = None) -> str:
    with file_messages.speaking(language):
        return gettext(ROW_PROBLEMS[problem.code]) % dict(problem.params)


def unusable(error: UnusableFile, language: str | None = None) -> str:
    """Why a file cannot be read: the matrix reader's reasons, else the shared file
    checks' (lib/file_messages)."""
    return file_messages.unusable(error, language, own=FILE_PROBLEMS)
