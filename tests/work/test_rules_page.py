"""The content rules page as people read it (issue 10): nothing the Content-Security-Policy
refuses, every claim category a translated label (never food_medical), a long list of the
workspace's own claims folded away."""

import re
from typing import Any

from crewplan.work import services
from crewplan.work.models import ContentRules
from tests.factories import client_for, create

OWN = [
    {"phrase": "根治過敏", "category": "food_medical", "alternative": ""},
    {"phrase": "三天變白", "category": "cosmetics_exaggeration", "alternative": "使肌膚看起來明亮"},
    {"phrase": "一週瘦五公斤", "category": "custom", "alternative": "幫助維持體態"},
]


def _own_rules(world: Any, claims: list[dict[str, str]]) -> None:
    saved = ContentRules.objects.filter(workspace=world.a).first()
    services.rules_save(
        workspace=world.a,
        actor=world.people["alice"],
        rules={"product_category": "food", "extra_risky_claims": claims},
        revision=saved.revision if saved else None,
    )


def test_the_rules_page_has_no_inline_style(world: Any, raci: dict[str, Any]) -> None:
    _own_rules(world, OWN)
    for name in ("alice", "amy", "vera"):  # who edits, who only reads
        response = client_for(world.people[name]).get("/w/alpha/work/rules/")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-claim="根治過敏"' in page  # the page with its claims, checked
        assert not re.search(r"<[^>]*\sstyle=", page), name
        assert "<style" not in page
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_claim_categories_are_translated_labels(world: Any, raci: dict[str, Any]) -> None:
    _own_rules(world, OWN)
    alice = client_for(world.people["alice"])
    page = alice.get("/w/alpha/work/rules/").content.decode()
    table = page.split('id="own-claims"')[1].split("</details>")[0]
    assert "food: medical efficacy, 食安法 §28(2)" in table
    assert "cosmetics: false or exaggerated" in table
    assert "your own list" in table
    assert "使肌膚看起來明亮" in table and "幫助維持體態" in table  # the allowed wording
    for code in ("food_medical", "cosmetics_exaggeration", ">custom<"):
        assert code not in page
    alice.post("/accounts/language/", {"language": "zh-hant"})
    table = alice.get("/w/alpha/work/rules/").content.decode().split('id="own-claims"')[1]
    assert "自訂清單" in table and "your own list" not in table
    assert "food: medical" not in table

    # A finding on the workspace's own claim names its category the same way.
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], copy="每天一杯，一週瘦五公斤")
    amy.post(f"/w/alpha/work/items/{item.pk}/check/")
    page = amy.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert "Risky claim “一週瘦五公斤” (your own list)" in page


def test_a_long_list_of_own_claims_is_folded(world: Any, raci: dict[str, Any]) -> None:
    alice = client_for(world.people["alice"])
    _own_rules(world, OWN)
    page = alice.get("/w/alpha/work/rules/").content.decode()
    assert '<details id="own-claims" class="own-claims" open>' in page  # short: open
    assert "Your own risky claims (3)" in page
    _own_rules(world, [{"phrase": f"保證有效{i}號", "category": "custom"} for i in range(40)])
    page = alice.get("/w/alpha/work/rules/").content.decode()
    assert '<details id="own-claims" class="own-claims">' in page  # long: folded
    assert "Your own risky claims (40)" in page and page.count("<tr data-claim=") == 40
