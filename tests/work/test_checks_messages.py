"""The sentences of the work app's cores live in one place (work/messages.py), in the
gettext catalogue: every code the cores return has its sentence in both languages,
findings stored with an item read in each reader's language, and the curated word lists
are package data files."""

import json
import tomllib
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from crewplan.work import messages, workflow
from crewplan.work.checks import (
    CHANNELS,
    DEFAULT_RULES,
    Finding,
    check,
    claims,
    rules_from_dict,
)
from crewplan.work.models import WorkItem
from tests.factories import client_for, create, move

ROOT = Path(__file__).resolve().parents[2]

# One copy for each sentence a finding can have: (text, channel, sponsored, rules).
OWN = rules_from_dict(
    {
        "glossary": [{"preferred": "LINE 官方帳號", "forbidden": ["LINE@"]}],
        "extra_risky_claims": [
            {"phrase": "一週瘦五公斤", "category": "slimming"},
            {"phrase": "保證有效", "category": "custom", "alternative": "多數人有感"},
        ],
    }
)
CORPUS = [
    ("中" * 141, "x_post", False),  # length
    ("短標題\n" + "中" * 16, "google_ads_headline", False),  # length_line
    ("好" * 130, "facebook_post", False),  # preview
    (" ".join(f"#t{i}" for i in range(31)), "instagram_caption", False),  # hashtags
    ("加 LINE@ 好友", None, False),  # glossary
    ("一週瘦五公斤，保證有效", None, False),  # claim, claim_alternative
    ("本產品可治失眠，預防感冒", None, False),  # claim_rule_alternative, claim_rule
    ("这个", None, False),  # simplified
    ("關于我們", None, False),  # phrase
    ("下載軟件", None, False),  # mainland
    ("請點擊這裡", None, False),  # debatable
    ("新品上市", None, True),  # disclosure
    ("https://shop.example.com/p", None, False),  # utm
]


def corpus_findings() -> list[Finding]:
    return [
        f
        for text, channel, sponsored in CORPUS
        for f in check(text, channel, OWN, sponsored=sponsored)
    ]


def test_every_finding_key_has_its_sentence_in_both_languages() -> None:
    findings = corpus_findings()
    assert {f.key for f in findings} == set(messages.FINDING_TEXTS)
    for f in findings:
        en, zh = messages.finding_message(f, "en"), messages.finding_message(f, "zh-hant")
        assert en and zh and en != zh, f
        assert "%(" not in en + zh and "{" not in en + zh


def test_sentences_state_their_numbers_and_labels_in_each_language() -> None:
    [line] = check("短標題\n" + "中" * 16, "google_ads_headline", DEFAULT_RULES)
    assert messages.finding_message(line, "en") == (
        "Too long for Google Ads headline, line 2: 32 of 30"
        " (full-width characters and emoji count 2)."
    )
    assert messages.finding_message(line, "zh-hant") == (
        "超過 Google Ads 標題 的長度上限（第 2 行）：32／30（全形字元與表情符號算 2）。"
    )
    [disclosure] = check("新品上市", None, DEFAULT_RULES, sponsored=True)
    assert "“廣告” / “合作”" in messages.finding_message(disclosure, "en")
    assert "「廣告」、「合作」" in messages.finding_message(disclosure, "zh-hant")
    [claim] = check("本產品可治失眠", None, rules_from_dict({"product_category": "food"}))
    assert messages.finding_message(claim, "zh-hant") == (
        "有風險的宣稱「治失眠」：醫療效能（食品安全衛生管理法第 28 條第 2 項）；"
        "可改用「幫助入睡」。"
    )


def test_every_code_of_the_cores_has_one_label() -> None:
    """States, channels, units, actions, refusals, claim kinds and laws: each has its
    label in the catalogue, not a second dictionary in the core."""
    assert set(workflow.STATES) == set(WorkItem.State.values)
    assert set(CHANNELS) == set(WorkItem.Channel.values)
    assert {c.unit for c in CHANNELS.values()} <= set(messages.UNIT_LABELS)
    assert {a.name for a in workflow.ACTIONS} == set(messages.ACTION_VERBS)
    assert set(claims.KINDS) == set(messages.CLAIM_KINDS)
    laws = {code for table in claims.default_lexicon().laws.values() for code in table.values()}
    assert laws == set(messages.LAWS)
    refusals = (workflow.__doc__ or "").split("| code | meaning |")[1]
    codes = {
        line.split("|")[1].strip() for line in refusals.splitlines() if line.startswith("| ")
    } - {"---"}
    assert codes == set(messages.REFUSALS)
    for state in workflow.STATES:
        assert messages.state_label(state) != state
    # The state inside a refusal is the state's one label (lower case in English).
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition("idea", "approve", workflow.Person(1), workflow.ItemRoles())
    assert messages.refusal_message(refused.value, "en") == (
        "You cannot approve an item that is idea."
    )
    assert messages.refusal_message(refused.value, "zh-hant") == "工作目前為構想，不能核准。"


def test_stored_findings_read_in_each_readers_language(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], copy="下載我們的軟件", channel="x_post")
    move(amy, item, "start")
    # Copy with errors is submitted with a note explaining them (the gate).
    assert move(amy, item, "submit", note="軟件 quoted from the client").status_code == 302
    item.refresh_from_db()
    [stored] = [f for f in item.checks if f["code"] == "vocabulary"]
    # Code and parameters, not sentences: the reader's language is chosen when shown.
    assert stored["key"] == "mainland" and stored["params"] == {"found": "軟件"}
    assert not {"message", "message_en", "message_zh_hant"} & set(stored)
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "Mainland term “軟件”; Taiwan says “軟體”." in page
    amy.post("/accounts/language/", {"language": "zh-hant"})
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "「軟件」是中國大陸用語，臺灣說「軟體」。" in page
    assert "Mainland term" not in page


def test_findings_stored_before_keep_their_sentences(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], copy="下載我們的軟件")
    old = {
        "code": "vocabulary",
        "rule": "軟件",
        "severity": "error",
        "start": 4,
        "end": 6,
        "message": "Mainland term (then)",
        "replacement": "軟體",
        "message_en": "Mainland term (then)",
        "message_zh_hant": "中國大陸用語（當時）",
    }
    WorkItem.objects.filter(pk=item.pk).update(checks=[old], checked_at=timezone.now())
    assert "Mainland term (then)" in amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    amy.post("/accounts/language/", {"language": "zh-hant"})
    assert "中國大陸用語（當時）" in amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()


def test_a_finding_reads_the_same_after_a_trip_through_json() -> None:
    findings = corpus_findings()
    stored = json.loads(json.dumps([asdict(f) for f in findings]))
    for language in ("en", "zh-hant"):
        assert [messages.finding_message(f, language) for f in stored] == [
            messages.finding_message(f, language) for f in findings
        ]


# --- word lists as package data -------------------------------------------------------

DATA_FILES = ("default_rules.toml", "vocabulary_tw.toml", "claims_tw.toml")


def test_word_lists_load_through_importlib_resources() -> None:
    """As an installed copy finds them: through the package, not a path in the tree."""
    data = resources.files("crewplan.work.checks").joinpath("data")
    for name in DATA_FILES:
        assert tomllib.loads(data.joinpath(name).read_text(encoding="utf-8")), name
    assert "廣告" in DEFAULT_RULES.disclosure_words
    assert claims.find_claims("可治失眠")


def test_package_data_ships_every_word_list() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["crewplan"]
    shipped = {path for pattern in patterns for path in (ROOT / "crewplan").glob(pattern)}
    data = ROOT / "crewplan" / "work" / "checks" / "data"
    assert sorted(p.name for p in data.iterdir() if p.is_file()) == sorted(DATA_FILES)
    for name in DATA_FILES:
        assert data / name in shipped, name
