"""The RACI .xlsx layout: write → read round trip, tolerant reading, refusals, and the
`crewplan raci check` command on files."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from crewplan.lib.file_messages import unusable
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci.messages import row_problem, worded
from crewplan.raci.template import AGENCY, IN_HOUSE, apply_template
from crewplan.raci.validation import EXTERNAL, INTERNAL, Party, Role, validate
from crewplan.raci.xlsx import read_matrix, write_matrix

HOME = Party("t1", "品牌行銷部", INTERNAL)
AGENCY_TEAM = Party("t2", "星火數位行銷", EXTERNAL)


def sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_round_trip_keeps_the_matrix() -> None:
    original = apply_template({IN_HOUSE: HOME, AGENCY: AGENCY_TEAM})
    findings = worded(validate(original), "zh-hant")
    data = write_matrix(original, team_names={}, findings=findings, language="zh-hant")
    back = read_matrix(data)
    assert back.problems == ()
    assert [p.name for p in back.matrix.parties] == ["品牌行銷部", "星火數位行銷"]
    assert [(p.kind, p.is_person) for p in back.matrix.parties] == [
        (INTERNAL, False),
        (EXTERNAL, False),
    ]
    by_name = {p.name: p.key for p in back.matrix.parties}
    original_names = {p.key: p.name for p in original.parties}

    def as_named(m, activities, names):  # type: ignore[no-untyped-def]
        return {
            (a.function, a.name, a.kind, a.split, names[party]): roles
            for a in activities
            for (key, party), roles in m.cells.items()
            if key == a.key
        }

    assert as_named(original, original.activities, original_names) == as_named(
        back.matrix, back.matrix.activities, {v: k for k, v in by_name.items()}
    )


def test_person_columns_and_english_headers() -> None:
    data = sheet(
        [
            ["Function", "Activity", "Kind", "Mike Lin (In-house)", "Agency"],
            ["", "", "", "internal", "external"],
            ["Ads", "Ad budget", "budget", "A", "r, c"],
        ]
    )
    result = read_matrix(data)
    person, team = result.matrix.parties
    assert (person.is_person, person.name, person.team, person.kind) == (
        True,
        "Mike Lin",
        "In-house",
        INTERNAL,
    )
    assert not team.is_person
    key = result.matrix.activities[0].key
    assert result.matrix.cells[(key, team.key)] == {Role.R, Role.C}


def test_tolerant_cells_kinds_and_function_carried_down() -> None:
    data = sheet(
        [
            ["職能", "工作項目", "公司", "代理商"],
            ["", "", "內部", "外部"],
            ["內容", "內容策略", "Ａ/Ｒ", "c"],
            [None, "部落格", "a", "R"],
        ]
    )
    result = read_matrix(data)
    assert result.problems == ()
    strategy, blog = result.matrix.activities
    assert (strategy.kind.value, blog.function, blog.kind.value) == (
        "strategy",
        "內容",
        "execution",
    )


def test_row_problems_are_listed_not_fatal() -> None:
    data = sheet(
        [
            ["職能", "工作項目", "類型", "公司", "代理商"],
            ["", "", "", "內部", "外部"],
            ["內容", "部落格", "執行", "A", "X?"],
            ["內容", "", "", "R", ""],
            ["內容", "SEO", "whatever", "A", "R"],
            ["內容", "部落格", "", "A", "R"],
        ]
    )
    result = read_matrix(data)
    assert [(p.row, p.code) for p in result.problems] == [
        (3, "bad_cell"),
        (4, "no_activity_name"),
        (5, "bad_kind"),
        (6, "duplicate_activity"),
    ]
    bad_cell = result.problems[0]
    assert "X?" in row_problem(bad_cell) and "代理商" in row_problem(bad_cell, "zh-hant")


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([["Activity", "Function", "A"], ["", "", "internal"]], "no_header"),
        ([["Function", "Activity"], ["", ""]], "no_parties"),
        ([["Function", "Activity", "A", "B"], ["", "", "internal", "maybe"]], "bad_team_kind"),
        ([["Function", "Activity", "A", "a"], ["", "", "internal", "internal"]], "duplicate_party"),
    ],
)
def test_unusable_layouts(rows: list[list[object]], code: str) -> None:
    with pytest.raises(UnusableFile) as error:
        read_matrix(sheet(rows))
    assert error.value.code == code


def test_not_a_zip_and_zip_bomb_are_refused() -> None:
    with pytest.raises(UnusableFile) as error:
        read_matrix(b"Function,Activity\nthis is a CSV", name="matrix.xlsx")
    assert error.value.code == "not_zip"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    with pytest.raises(UnusableFile) as error:
        read_matrix(bomb.getvalue())
    assert error.value.code in {"too_large", "ratio"}
    assert "壓縮炸彈" in unusable(error.value, "zh-hant")
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnusableFile) as error:
        read_matrix(plain_zip.getvalue())
    assert error.value.code == "not_xlsx"


def run_check(
    path: Path, *args: str, locale: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crewplan", "raci", "check", str(path), *args],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "CREWPLAN_DATA_DIR": str(path.parent / "data"),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            **(locale or {}),
        },
    )


def test_cli_check_speaks_the_locale_unless_told(tmp_path: Path) -> None:
    """--language, else LC_ALL / LC_MESSAGES / LANG (zh_TW → Traditional Chinese), else
    English: the findings, their fixes, the row problems and an unusable file's reason."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        sheet(
            [
                ["Function", "Activity", "Us", "Them"],
                ["", "", "internal", "external"],
                ["Ads", "Ad budget", "R", "A"],
                ["Ads", "Placement", "", "X"],
            ]
        )
    )

    def document(*args: str, **locale: str) -> dict[str, Any]:
        result = run_check(bad, "--json", *args, locale=locale)
        assert result.returncode == 1, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    def first(doc: dict[str, Any]) -> dict[str, Any]:
        return next(f for f in doc["findings"] if f["code"] == "no_accountable")

    english = document()
    assert "has no Accountable" in first(english)["message"]
    assert "Give exactly one party the A" in first(english)["fix"]
    assert "is not a combination" in english["problems"][0]["message"]
    chinese = document(LANG="zh_TW.UTF-8")
    assert "沒有當責者" in first(chinese)["message"] and "當責者" in first(chinese)["fix"]
    assert "不是 R、A、C、I 的組合" in chinese["problems"][0]["message"]
    assert first(chinese)["code"] == first(english)["code"]  # codes stay
    assert "沒有當責者" in first(document(LC_ALL="zh_TW.UTF-8", LANG="en_US.UTF-8"))["message"]
    assert "has no Accountable" in first(document(LANG="C.UTF-8"))["message"]
    told = document("--language", "en", LANG="zh_TW.UTF-8")
    assert "has no Accountable" in first(told)["message"]
    assert "沒有當責者" in first(document("--language", "zh-hant"))["message"]
    table = run_check(bad, locale={"LANG": "zh_TW.UTF-8"})
    assert "沒有當責者" in table.stdout and "→ 請指定一位當責者" in table.stdout

    wrong = tmp_path / "wrong.xlsx"
    wrong.write_bytes(sheet([["Name", "Team"], ["a", "b"]]))
    refused = run_check(wrong, locale={"LANG": "zh_TW.UTF-8"})
    assert refused.returncode == 2 and "找不到看起來像 RACI 標題列的一列" in refused.stderr
    assert "no row looks like a RACI header" in run_check(wrong).stderr


def test_cli_check_exit_codes_and_json(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        write_matrix(apply_template({IN_HOUSE: HOME, AGENCY: AGENCY_TEAM}), team_names={})
    )
    ok = run_check(good)
    assert ok.returncode == 0, ok.stderr
    assert "0 error(s)" in ok.stdout

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        sheet(
            [
                ["Function", "Activity", "Us", "Them"],
                ["", "", "internal", "external"],
                ["Ads", "Ad budget", "R", "A"],
                ["Ads", "Placement", "", "X"],
            ]
        )
    )
    result = run_check(bad, "--json", "--language", "zh-hant")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [p["code"] for p in document["problems"]] == ["bad_cell"]
    codes = {f["code"] for f in document["findings"]}
    assert {"external_accountable_strategy", "no_accountable", "no_responsible"} <= codes
    budget = next(f for f in document["findings"] if f["code"] == "external_accountable_strategy")
    assert budget["row"] == 3 and budget["activity"] == "Ad budget" and "預算" in budget["message"]

    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a spreadsheet")
    unusable = run_check(junk)
    assert unusable.returncode == 2
    assert unusable.stdout == "" and "not a zip archive" in unusable.stderr
    assert unusable.stderr.count("\n") == 1
    assert run_check(tmp_path / "missing.xlsx").returncode == 2
