"""Reading people's own RACI sheets (issue 10): real public sheets kept as fixtures, and
one synthetic sheet per layout trait, through `read_matrix`, the CLI and the import page."""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci.messages import layout_lines, row_problem, unusable
from crewplan.raci.reading import read_grid
from crewplan.raci.validation import read_cell, validate
from crewplan.raci.xlsx import read_matrix
from tests.factories import client_for

FIXTURES = Path(__file__).parent / "fixtures"


def book(rows: list[list[object]], merges: tuple[str, ...] = (), *, title: str = "RACI") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


def cells_of(result: Any, activity: str) -> dict[str, str]:
    key = next(a.key for a in result.matrix.activities if a.name == activity)
    return {
        party: "".join(sorted(r.value for r in roles))
        for (a, party), roles in result.matrix.cells.items()
        if a == key
    }


# Real sheets (tests/raci/fixtures/README.md says where each comes from).


def test_packt_raci_with_a_step_id_column() -> None:
    result = read_matrix((FIXTURES / "packt-raci.xlsx").read_bytes())
    layout = result.layout
    assert (layout.source, layout.sheet, layout.header_row) == ("xlsx", "RACI", 1)
    assert (layout.id_column, layout.activity_column, layout.activity_header) == ("A", "B", "Name")
    assert [p.name for p in result.matrix.parties] == [
        "TPM",
        "SDM",
        "PM-T",
        "Lead SDE",
        "SDE",
        "Business",
    ]
    assert [c.column for c in layout.role_columns] == list("CDEFGH")
    assert not layout.kinds_stated and result.problems == ()
    assert len(result.matrix.activities) == 8
    assert cells_of(result, "Sprint Planning")["TPM"] == "R"
    found = [(f.code, result.rows[f.activity or ""]) for f in validate(result.matrix)]
    assert found == [
        ("no_responsible", 3),
        ("no_responsible", 8),
        ("too_many_consulted", 2),
        ("too_many_consulted", 3),
    ]


def test_packt_tpm_raci_with_a_function_filled_on_section_starts() -> None:
    result = read_matrix((FIXTURES / "packt-tpm-raci.xlsx").read_bytes())
    layout = result.layout
    assert (layout.function_column, layout.function_header) == ("A", "Key Management Area")
    assert (layout.activity_column, layout.activity_header) == ("B", "Step")
    assert [p.name for p in result.matrix.parties] == ["Role"]
    functions = [a.function for a in result.matrix.activities]
    assert functions == ["Planning"] * 4 + ["Stakeholder Management"] * 4 + ["Risk Management"] * 3
    assert cells_of(result, "Create functional spec") == {"Role": "AR"}
    codes = [f.code for f in validate(result.matrix)]
    assert codes.count("no_accountable") == 4 and codes.count("no_responsible") == 6
    assert "no_split" not in codes  # one party: nobody to split with


# One layout trait at a time.


def test_title_above_and_legend_beside() -> None:
    data = book(
        [
            ["Website relaunch — RACI", None, None, None, None, None],
            ["R = Responsible, A = Accountable, C = Consulted, I = Informed"],
            ["Task", "Marketing", "Web Agency", None, None, None],
            ["Brief", "A/R", "C", None, "R", "Responsible - does the work"],
            ["Design", "A", "R", None, "A", "Accountable - approves"],
            ["Build", "A", "R", None, "C", "Consulted"],
        ],
        merges=("A1:F1",),
    )
    result = read_matrix(data)
    assert result.layout.header_row == 3
    assert [(s.row, s.reason) for s in result.layout.skipped] == [
        (1, "above_header"),
        (2, "legend"),
    ]
    assert [p.name for p in result.matrix.parties] == ["Marketing", "Web Agency"]
    assert [p.kind for p in result.matrix.parties] == ["internal", "external"]  # guessed
    assert [a.name for a in result.matrix.activities] == ["Brief", "Design", "Build"]
    assert result.problems == ()


def test_section_rows_become_functions_and_n_means_not_involved() -> None:
    data = book(
        [
            ["#", "Activity", "品牌部", "代理商", "財務"],
            ["", "內容", "", "", ""],
            [1, "部落格文章", "A", "R", "N"],
            [2, "社群貼文", "R (A)", "C", "-"],
            ["", "預算", "N", "N", "N"],
            [3, "年度預算", "A", "x", "R"],
        ]
    )
    result = read_matrix(data)
    layout = result.layout
    assert (layout.id_column, layout.activity_column) == ("A", "B")
    assert [(a.function, a.name) for a in result.matrix.activities] == [
        ("內容", "部落格文章"),
        ("內容", "社群貼文"),
        ("預算", "年度預算"),
    ]
    assert [(s.row, s.reason) for s in layout.skipped] == [(2, "section"), (5, "section")]
    assert cells_of(result, "社群貼文") == {"品牌部": "AR", "代理商": "C"}
    assert cells_of(result, "年度預算") == {"品牌部": "A", "財務": "R"}
    assert result.matrix.activities[2].kind == "budget"


def test_two_row_merged_task_belongs_to_the_task_above() -> None:
    data = book(
        [
            ["Activity", "Us", "Them"],
            ["Plan the launch", "A", "R"],
            ["and its budget", None, None],
            ["Write copy", None, None],
            [None, "A", "R"],
            ["Review", "A", "C"],
        ],
        # Letters of "Plan the launch" merged down over its second line; the name of
        # "Write copy" merged down over the row holding its letters.
        merges=("B2:B3", "C2:C3", "A4:A5"),
    )
    result = read_matrix(data)
    names = [a.name for a in result.matrix.activities]
    assert names == ["Plan the launch and its budget", "Write copy", "Review"]
    assert cells_of(result, "Write copy") == {"Us": "A", "Them": "R"}
    assert [(s.row, s.reason) for s in result.layout.skipped] == [
        (3, "continuation"),
        (5, "continuation"),
    ]
    assert result.problems == ()


def test_a_party_over_merged_sub_columns_and_a_two_row_header() -> None:
    spans = book(
        [
            ["Task", "Ann", None, None, None, "Bob", None, None, None],
            ["Plan", "R", None, None, None, None, "A", None, None],
            ["Ship", None, "A", None, None, "R", None, "C", "I"],
        ],
        merges=("B1:E1", "F1:I1"),
    )
    result = read_matrix(spans)
    assert [(c.column, c.header) for c in result.layout.role_columns] == [
        ("B–E", "Ann"),
        ("F–I", "Bob"),
    ]
    assert cells_of(result, "Ship") == {"Ann": "A", "Bob": "CIR"}
    two_rows = book(
        [
            [None, "Ann", None, "Bob", None],
            ["Task", "Sponsor", "User", "Owner", "User"],
            ["Plan", "A", "C", "R", "I"],
        ],
        merges=("B1:C1", "D1:E1"),
    )
    names = [p.name for p in read_matrix(two_rows).matrix.parties]
    assert names == ["Ann – Sponsor", "Ann – User", "Bob – Owner", "Bob – User"]


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("A/R", "AR"),
        ("R/A", "AR"),
        ("RA", "AR"),
        ("R / A", "AR"),
        ("R (A)", "AR"),
        ("(R)", "R"),
        ("r", "R"),
        ("Ｒ", "R"),
        ("R,C", "CR"),
        ("A+I", "AI"),
        ("R ", "R"),
        ("負責", "R"),
        ("N", ""),
        ("-", ""),
        ("x", ""),
        ("X", ""),
        ("—", ""),
        ("–", ""),
        ("", ""),
        ("n/a", ""),
    ],
)
def test_every_way_people_write_letters(text: str, roles: str) -> None:
    reading = read_cell(text)
    assert reading is not None and reading.unknown == ""
    assert "".join(sorted(r.value for r in reading.roles)) == roles


def test_unknown_letters_are_reported_per_cell_and_the_rest_read() -> None:
    assert read_cell("Product Manager") is None  # a name, not letters
    data = book(
        [
            ["Activity", "Dev", "QA", "Ops"],
            ["Release", "R/S", "V", "A"],
            ["Hotfix", "A", "R", "maybe"],
        ]
    )
    result = read_matrix(data)
    assert [(p.row, p.code, p.params.get("letters")) for p in result.problems] == [
        (2, "unknown_letters", "S"),
        (2, "unknown_letters", "V"),
        (3, "bad_cell", None),
    ]
    assert cells_of(result, "Release") == {"Dev": "R", "Ops": "A"}
    assert "RASCI" not in row_problem(result.problems[0])
    assert "S" in row_problem(result.problems[0]) and "其餘字母已讀取" in row_problem(
        result.problems[0], "zh-hant"
    )


def test_duplicate_activity_names_are_reported() -> None:
    data = book([["Task", "Us", "Them"], ["Report", "A", "R"], ["report", "A", "R"]])
    result = read_matrix(data)
    assert [(p.row, p.code) for p in result.problems] == [(3, "duplicate_activity")]
    assert len(result.matrix.activities) == 1


CSV_TEXT = "Activity;品牌行銷部;星火數位行銷\n社群貼文;A;R\n月報;A/R;I\n"


@pytest.mark.parametrize(
    ("encoding", "read_as"), [("utf-8-sig", "utf-8-sig"), ("cp950", "cp950"), ("utf-8", "utf-8")]
)
def test_csv_in_every_encoding_with_its_delimiter(encoding: str, read_as: str) -> None:
    result = read_matrix(csv_bytes(CSV_TEXT, encoding))
    layout = result.layout
    assert (layout.source, layout.encoding, layout.delimiter) == ("csv", read_as, ";")
    assert [p.name for p in result.matrix.parties] == ["品牌行銷部", "星火數位行銷"]
    assert cells_of(result, "月報") == {"品牌行銷部": "AR", "星火數位行銷": "I"}


def test_csv_with_tabs_and_crewplans_own_layout_as_csv() -> None:
    tabs = read_matrix(b"Task\tUs\tThem\nPlan\tA\tR\n", name="grid.csv")
    assert tabs.layout.delimiter == "\t" and len(tabs.matrix.activities) == 1
    own = read_matrix(
        "職能,工作項目,公司,代理商\n,,內部,外部\n內容,部落格,A,R\n".encode("cp950"), name="g.csv"
    )
    assert own.layout.source == "crewplan" and own.layout.encoding == "cp950"
    assert [p.kind for p in own.matrix.parties] == ["internal", "external"]


def _strict(data: bytes) -> bytes:
    """The workbook as Excel's "Strict Open XML Spreadsheet" names its parts."""
    renames = [
        (
            b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        ),
        (
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        ),
    ]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for member in source.infolist():
            content = source.read(member)
            for old, new in renames:
                content = content.replace(old, new)
            copy.writestr(member.filename, content)
    return out.getvalue()


def test_strict_open_xml_is_read_never_empty() -> None:
    data = _strict(book([["Task", "Us", "Them"], ["Plan", "A", "R"], ["Ship", "A", "R"]]))
    assert b"purl.oclc.org" in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    result = read_matrix(data)
    assert [a.name for a in result.matrix.activities] == ["Plan", "Ship"]
    # A strict workbook whose sheets cannot be found is refused, not read as empty.
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"/>',
        )
    with pytest.raises(UnusableFile) as error:
        read_matrix(broken.getvalue())
    assert error.value.code == "strict_ooxml" and "Strict Open XML" in unusable(error.value)


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "old.xls", "xls_file", ".xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "", "xls_file", ".xls"),
        (b"", "empty.csv", "empty_file", "empty"),
        (b"  \n\n", "", "empty_file", "empty"),
        (b"\x81\xff\xfe\x00\x81", "x.csv", "not_text", "Big5"),
        (b"Name,Team\nAnn,Sales\n", "", "no_header", "no row looks like a RACI header"),
        (
            "Área,R,A,C,I\nBilling,Tech Lead,PM,Legal,Design\n".encode(),
            "",
            "roles_as_columns",
            "the columns are the roles",
        ),
    ],
)
def test_what_it_cannot_read_is_refused_in_one_line(
    data: bytes, name: str, code: str, words: str
) -> None:
    with pytest.raises(UnusableFile) as error:
        read_matrix(data, name=name)
    assert error.value.code == code
    reason = unusable(error.value)
    assert words in reason and "\n" not in reason
    assert reason != unusable(error.value, "zh-hant")


def test_layout_is_described_in_both_languages() -> None:
    result = read_matrix((FIXTURES / "packt-raci.xlsx").read_bytes())
    english = layout_lines(result.layout)
    assert english[0] == "Sheet “RACI”, header on row 1."
    assert "Activities: column B (“Name”)." in english
    assert "Step numbers in column A, not read." in english
    chinese = layout_lines(result.layout, "zh-hant")
    assert chinese[0] == "工作表「RACI」，表頭在第 1 列。" and len(chinese) == len(english)


def test_cli_reads_a_csv_and_says_how(tmp_path: Path, capsys: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "ours.csv"
    path.write_bytes(("\ufeff" + CSV_TEXT).encode())
    with pytest.raises(SystemExit) as done:
        call_command("raci", "check", str(path), "--json", "--language", "en")
    assert done.value.code == 0
    document = json.loads(capsys.readouterr().out)
    layout = document["layout"]
    assert (layout["source"], layout["header_row"], layout["activity_column"]) == ("csv", 1, "A")
    assert [c["header"] for c in layout["role_columns"]] == ["品牌行銷部", "星火數位行銷"]
    assert layout["encoding"] == "utf-8-sig" and layout["delimiter"] == ";"
    assert document["activities"] == 2
    with pytest.raises(SystemExit):
        call_command("raci", "check", str(FIXTURES / "packt-raci.xlsx"), "--language", "en")
    table = capsys.readouterr().out
    assert table.startswith("Sheet “RACI”, header on row 1.\n")
    assert "Roles: C TPM, D SDM, E PM-T, F Lead SDE, G SDE, H Business." in table
    assert "no_responsible" in table


def test_cli_refuses_an_xls_with_exit_2(tmp_path: Path, capsys: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(SystemExit) as done:
        call_command("raci", "check", str(path), "--language", "en")
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and ".xls" in captured.err


def test_import_page_takes_a_csv_whose_columns_name_the_teams(world: Any) -> None:
    """The sheet says nothing of internal/external: the columns are the workspace's teams,
    so the guess from their names (甲代理 is not a word for agency) is no problem."""
    alice = client_for(world.people["alice"])
    text = (
        f"Task,{world.a_in_house.name},{world.a_agency.name}\n"
        "Content,,\nBlog post,A,R\nNewsletter,A,R\n"
    )
    upload = io.BytesIO(text.encode("cp950"))
    upload.name = "ours.csv"
    response = alice.post("/w/alpha/raci/import/", {"file": upload})
    assert response.status_code == 200, response.context.get("error")
    plan = response.context["plan"]
    assert plan.problems == []
    assert [a[:2] for a in plan.activities] == [["Content", "Blog post"], ["Content", "Newsletter"]]
    assert sorted(letters for _i, _p, letters in plan.cells) == ["A", "A", "R", "R"]


TOKENS = [
    "",
    "R",
    "A",
    "A/R",
    "r (a)",
    "N",
    "-",
    "S",
    "x",
    "Plan",
    "品牌部",
    "R = Responsible",
    "1",
    2,
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6), min_size=1, max_size=12),
    st.lists(
        st.tuples(*(st.integers(1, 12) for _ in range(4))).map(
            lambda m: (min(m[0], m[2]), min(m[1], m[3]), max(m[0], m[2]), max(m[1], m[3]))
        ),
        max_size=4,
    ),
)
def test_any_grid_is_read_or_refused_never_a_crash(
    rows: list[list[object]], merged: list[tuple[int, int, int, int]]
) -> None:
    try:
        result = read_grid(rows, merged)
    except UnusableFile as error:
        assert unusable(error)
        return
    if result is None:
        return
    keys = {a.key for a in result.matrix.activities}
    parties = {p.key for p in result.matrix.parties}
    assert all(a in keys and p in parties for a, p in result.matrix.cells)
    assert set(result.rows) == keys and result.layout.role_columns


def test_a_kinds_row_under_a_foreign_header_states_the_kinds() -> None:
    data = book(
        [
            ["RACI 2026"],
            ["Task", "品牌部", "Studio"],
            ["", "內部", "external"],
            ["拍攝", "A", "負責"],  # 負責 in a cell is R, not a legend
        ]
    )
    result = read_matrix(data)
    assert result.layout.kinds_stated and result.layout.header_row == 2
    assert [p.kind for p in result.matrix.parties] == ["internal", "external"]
    assert [(s.row, s.reason) for s in result.layout.skipped] == [
        (1, "above_header"),
        (3, "kinds"),
    ]
    assert cells_of(result, "拍攝") == {"品牌部": "A", "Studio": "R"}


def test_csv_limits_are_the_same_as_xlsx_limits() -> None:
    from crewplan.lib.limits import FileLimits

    small = FileLimits(bytes=10_000, rows=3, columns=4)
    rows = "Task,Us,Them\n" + "".join(f"T{n},A,R\n" for n in range(4))
    assert len(read_matrix(rows.encode(), small, name="x.csv").matrix.activities) == 4
    with pytest.raises(UnusableFile) as refused:
        read_matrix((rows + "T9,A,R\n").encode(), small, name="x.csv")
    assert "more than 3 rows" in unusable(refused.value, "en")
    with pytest.raises(UnusableFile) as refused:
        read_matrix(b"Task,A,B,C,D\nT,A,R,C,I\n", small, name="x.csv")
    assert "more than 4 columns" in unusable(refused.value, "en")
