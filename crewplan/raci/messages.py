"""The sentences of the RACI core, formatted in one place: the findings of
`raci/validation.py` and what the matrix file reader (`raci/xlsx.py`) refuses or
reports, from their stable codes and parameters. Every sentence is a gettext message
(English msgid, zh-Hant in the catalogue), worded in the active language, or in
`language` when one is given (a command's, an export's)."""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext, gettext_noop, pgettext

from crewplan.lib import file_messages
from crewplan.lib import wording as wording_lib
from crewplan.lib.active_language import speaking
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci.models import Activity
from crewplan.raci.reading import Layout, RowProblem, SkippedRow
from crewplan.raci.validation import Finding, Kind, Severity

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
    "no_split": (
        gettext_noop(
            "%(party)s holds every R and every A of the matrix (%(count)s activities): "
            "there is no split between the teams to speak of."
        ),
        gettext_noop(
            "Give the agency (or the other team) the R of the work it does, or check that "
            "the file's columns are the right teams."
        ),
    ),
}

# What makes a matrix file unusable (raci/xlsx.read_matrix), by UnusableFile code.
FILE_PROBLEMS: dict[str, str] = {
    "no_sheet": gettext_noop("the workbook has no sheet"),
    "no_header": gettext_noop(
        "no row looks like a RACI header: crewplan looks for a row naming the teams or "
        "people above rows of R, A, C, I letters, with the activities left of them"
    ),
    "no_activity_column": gettext_noop(
        "the RACI letters have no column of activity names left of them"
    ),
    "roles_as_columns": gettext_noop(
        "the columns are the roles (R, A, C, I) with names in the cells: crewplan reads "
        "one column per team or person with the letters in the cells"
    ),
    "empty_file": gettext_noop("the file is empty"),
    "not_text": gettext_noop(
        "neither an .xlsx workbook nor a CSV file in UTF-8 or Big5 (cp950) text"
    ),
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
    "unknown_letters": gettext_noop(
        "%(column)s: “%(text)s” holds %(letters)s, which is not R, A, C or I; the other "
        "letters were read"
    ),
    "no_activity_name": gettext_noop("a row with roles but no activity name"),
    "no_function": gettext_noop("no function (職能) for this activity"),
    "bad_kind": gettext_noop(
        "kind “%(text)s” is not strategy, budget or execution (策略/預算/執行)"
    ),
    "duplicate_activity": gettext_noop("“%(text)s” appears twice in the same function"),
}


# Why a row of someone's own sheet is not an activity (raci/reading.SkippedRow.reason).
SKIPPED: dict[str, str] = {
    "above_header": gettext_noop("above the header (a title or a note)"),
    "legend": gettext_noop("a legend of the letters"),
    "kinds": gettext_noop("the internal/external row"),
    "section": gettext_noop("a section: the function of the activities below"),
    "continuation": gettext_noop("continues the task above"),
    "note": gettext_noop("a note, no RACI letters"),
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
    with speaking(language):
        values = _values(finding.params)
        return gettext(message) % values, gettext(fix) % values


class Worded(wording_lib.Worded):
    """A matrix finding with its sentences (lib/wording)."""

    __slots__ = ()

    activity = property(lambda self: self.finding.activity)
    parties = property(lambda self: self.finding.parties)

    @property
    def severity(self) -> Severity:
        return self.finding.severity  # type: ignore[no-any-return]

    def _word(self) -> tuple[str, str]:
        return wording(self.finding, self.language)


def worded(findings: Iterable[Finding], language: str | None = None) -> list[Worded]:
    return [Worded(f, language) for f in findings]


def row_problem(problem: RowProblem, language: str | None = None) -> str:
    with speaking(language):
        return gettext(ROW_PROBLEMS[problem.code]) % dict(problem.params)


def unusable(error: UnusableFile, language: str | None = None) -> str:
    """Why a file cannot be read: the matrix reader's reasons, else the shared file
    checks' (lib/file_messages)."""
    return file_messages.unusable(error, language, own=FILE_PROBLEMS)


def skipped_row(skipped: SkippedRow, language: str | None = None) -> str:
    with speaking(language):
        return gettext(SKIPPED[skipped.reason])


def layout_lines(layout: Layout, language: str | None = None) -> list[str]:
    """How a sheet was read, in a few lines for people to check before they import."""
    with speaking(language):
        if layout.source == "crewplan":
            return [gettext("crewplan's own layout: header on row 1, kinds on row 2.")]
        where = (
            gettext("Sheet “%(sheet)s”, header on row %(row)s.")
            % {"sheet": layout.sheet, "row": layout.header_row}
            if layout.sheet
            else gettext("CSV (%(encoding)s, “%(delimiter)s”), header on row %(row)s.")
            % {
                "encoding": layout.encoding,
                "delimiter": "\\t" if layout.delimiter == "\t" else layout.delimiter,
                "row": layout.header_row,
            }
        )
        lines = [where]
        lines.append(
            gettext("Activities: column %(column)s (“%(header)s”).")
            % {"column": layout.activity_column, "header": layout.activity_header}
        )
        if layout.function_column:
            lines.append(
                gettext("Functions: column %(column)s (“%(header)s”).")
                % {"column": layout.function_column, "header": layout.function_header}
            )
        if layout.id_column:
            lines.append(
                gettext("Step numbers in column %(column)s, not read.")
                % {"column": layout.id_column}
            )
        columns = pgettext("list separator", ", ").join(
            f"{c.column} {c.header}" for c in layout.role_columns
        )
        lines.append(gettext("Roles: %(columns)s.") % {"columns": columns})
        if not layout.kinds_stated:
            lines.append(
                gettext(
                    "The sheet does not say which columns are in-house and which external: "
                    "guessed from their names until they are mapped to teams."
                )
            )
        return lines
