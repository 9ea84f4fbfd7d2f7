"""`crewplan content check`: the content checks on a text file, with no database.

DATABASE_URL points at a PostgreSQL nobody listens on, so any database use fails."""

import json
import subprocess
import sys
from pathlib import Path


def run_check(
    path: Path, *args: str, locale: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crewplan", "content", "check", *args, str(path)],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "CREWPLAN_DATA_DIR": str(path.parent / "data"),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            **(locale or {}),
        },
    )


CLEAN = "台灣小吃限時優惠！今天來店買一送一，歡迎光臨臺北本店。"
RISKY = "本產品可治失眠！下載軟件 https://shop.example.com/p 看更多。\n"


def test_clean_copy_exits_0_with_a_table(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(CLEAN + "\n", encoding="utf-8")
    result = run_check(post, "--channel", "x_post")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{post}: x_post, 54 of 280 (as X counts: CJK, full-width")
    assert lines[-1] == "0 error(s), 0 warning(s), 0 suggestion(s)"


def test_findings_exit_1_table_and_json(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(RISKY, encoding="utf-8")
    table = run_check(post, "--channel", "facebook_post", "--category", "food")
    assert table.returncode == 1, table.stderr
    assert "     4–7      error      risky_claim" in table.stdout
    assert "→ 幫助入睡" in table.stdout and "→ 軟體" in table.stdout
    assert "2 error(s), 1 warning(s), 0 suggestion(s)" in table.stdout
    assert "not legal advice" in table.stdout

    args = ("--channel", "facebook_post", "--json", "--language", "zh-hant", "--category", "food")
    result = run_check(post, *args)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["errors"] is True and document["channel"] == "facebook_post"
    assert document["length"] == {"count": 44, "limit": 63206, "unit": "utf16", "per_line": False}
    text = RISKY.removesuffix("\n")
    found = {f["code"]: f for f in document["findings"]}
    assert set(found) == {"risky_claim", "vocabulary", "utm"}
    for finding in document["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["text"]
    assert found["risky_claim"]["rule"] == "治失眠"
    assert found["risky_claim"]["replacement"] == "幫助入睡"
    assert "醫療效能" in found["risky_claim"]["message"]
    assert found["vocabulary"]["text"] == "軟件"
    assert found["utm"]["text"] == "https://shop.example.com/p"
    assert found["utm"]["rule"] == "utm_source,utm_medium,utm_campaign"
    assert document["disclaimer"] == "風險宣稱清單僅供起點參考，不構成法律意見。"
    # Without a category nobody knows which law applies: the claim is a warning.
    unknown = run_check(post, "--channel", "facebook_post", "--json")
    claim = next(f for f in json.loads(unknown.stdout)["findings"] if f["code"] == "risky_claim")
    assert claim["severity"] == "warning"


def test_messages_follow_the_language_option_else_the_locale(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text("下載軟件", encoding="utf-8")

    def message(*args: str, locale: dict[str, str] | None = None) -> str:
        result = run_check(post, "--json", *args, locale=locale)
        assert result.returncode == 1, result.stderr
        [finding] = json.loads(result.stdout)["findings"]
        assert finding["code"] == "vocabulary" and finding["replacement"] == "軟體"
        return str(finding["message"])

    chinese = "「軟件」是中國大陸用語，臺灣說「軟體」。"
    english = "Mainland term “軟件”; Taiwan says “軟體”."
    assert message() == english  # no locale at all
    assert message(locale={"LANG": "zh_TW.UTF-8"}) == chinese
    assert message(locale={"LC_ALL": "zh_TW.UTF-8", "LANG": "C"}) == chinese
    assert message(locale={"LC_ALL": "C.UTF-8", "LANG": "zh_TW.UTF-8"}) == english
    assert message("--language", "en", locale={"LANG": "zh_TW.UTF-8"}) == english
    assert message("--language", "zh-hant") == chinese
    table = run_check(post, "--channel", "x_post", locale={"LANG": "zh_TW.UTF-8"})
    assert "依 X 的算法" in table.stdout and chinese in table.stdout


def test_sponsored_and_rules_file(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text("新品上市，用 line@ 加好友！", encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[glossary]]\npreferred = "LINE 官方帳號"\nforbidden = ["LINE@"]\n', encoding="utf-8"
    )
    result = run_check(post, "--rules", str(rules), "--sponsored", "--json")
    assert result.returncode == 1, result.stderr
    codes = [(f["code"], f["start"], f["end"]) for f in json.loads(result.stdout)["findings"]]
    assert codes == [("disclosure", 0, 0), ("glossary", 7, 12)]
    post.write_text("【業配】新品上市，加 LINE 官方帳號好友！", encoding="utf-8")
    assert run_check(post, "--rules", str(rules), "--sponsored").returncode == 0


def test_big5_and_bom_files(tmp_path: Path) -> None:
    big5 = tmp_path / "big5.txt"
    big5.write_bytes("台灣小吃限時優惠！".encode("cp950"))
    result = run_check(big5, "--channel", "google_ads_headline", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["length"]["count"] == 18
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "台灣小吃限時優惠買一送一今天最後".encode())
    result = run_check(bom, "--channel", "google_ads_headline", "--json")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["start"], finding["end"], finding["text"]) == (15, 16, "後")


def test_unusable_input_exits_2_with_one_line(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text(CLEAN, encoding="utf-8")
    bad_rules = tmp_path / "bad.toml"
    bad_rules.write_text("checks = [", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x80\x80\xff\xff")
    cases = [
        (tmp_path / "missing.txt", ["--channel", "x_post"], "No such file"),
        (post, ["--channel", "tiktok"], "unknown channel 'tiktok'"),
        (post, ["--rules", str(bad_rules)], "invalid TOML"),
        (post, ["--rules", str(tmp_path / "none.toml")], "No such file"),
        (binary, [], "not UTF-8"),
    ]
    for path, args, reason in cases:
        result = run_check(path, *args)
        assert result.returncode == 2, (args, result.stdout)
        assert reason in result.stderr
        assert result.stderr.count("\n") == 1
