"""Lift tests in the app (issue 12): recording and deleting an experiment's result (the
rules, atomic and audited, who may), and the fit taking the workspace's lift tests whose
weeks lie in the imported figures — or listing why it did not — on the page in both
languages."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import strip_tags

from crewplan.audit.models import AuditEvent
from crewplan.measure.models import Channel
from crewplan.reallocation import services, tasks
from crewplan.reallocation.models import Fit, LiftTest
from tests.factories import (
    client_for,
    display_revenue,
    metric_rows,
    responsive_channels,
    weak_channel,
)
from tests.screen_checks import english_on_chinese_page


def _main_text(html: str) -> str:
    """The page's visible text between the navigation and the end (the shared layout is
    walked by the screens test)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return strip_tags(main.split(">", 1)[1])


PAGE = "/w/alpha/reallocation/lift-tests/"


def _form(channel: Channel, **changes: Any) -> dict[str, Any]:
    return {
        "channel": channel.pk,
        "outcome": "revenue",
        "first_day": "2026-03-04",
        "last_day": "2026-03-29",
        "spend_change": "-5000",
        "incremental": "-12500.50",
        "standard_error": "1250",
        "note": "Paused in March",
    } | changes


def _data(channel: Channel, **changes: Any) -> dict[str, Any]:
    return {
        "channel": channel,
        "outcome": "revenue",
        "first_day": date(2026, 3, 4),
        "last_day": date(2026, 3, 29),
        "spend_change": Decimal(-5000),
        "incremental": Decimal("-12500.5"),
        "standard_error": Decimal(1250),
        "note": "",
    } | changes


def _fit(world: Any, f: dict[str, Any], outcome: str = "revenue") -> Fit:
    fit = services.fit_request(
        workspace=world.a,
        version=f["version"],
        quarter=f["quarter"],
        outcome=outcome,
        outcome_channels=[],
        actor=world.people["alice"],
    )
    tasks.run(fit.pk)
    fit.refresh_from_db()
    return fit


def _pause(f: dict[str, Any], first: int, last: int) -> dict[str, Any]:
    """A pause of Display over weeks first..last as an experiment would have measured it,
    exactly (the true curve, no carry-over): the spend change cuts the highest week's
    spend to 0, so every week of the test is paused."""
    spend = f["display_spend"][first : last + 1]
    change = -max(spend)
    incremental = sum(display_revenue(max(x + change, 0)) - display_revenue(x) for x in spend)
    return {
        "channel": f["channels"][1],
        "outcome": "revenue",
        "first_day": f["mondays"][first] + timedelta(days=2),  # a Wednesday: its whole week
        "last_day": f["mondays"][last] + timedelta(days=4),
        "spend_change": Decimal(f"{change:.2f}"),
        "incremental": Decimal(f"{incremental:.2f}"),
        "standard_error": Decimal(f"{abs(incremental) * 0.05:.2f}"),
        "note": "",
    }


# ------------------------------------------------------------- recording one


def test_recording_a_lift_test_through_the_page_is_audited(world: Any) -> None:
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    client = client_for(world.people["alice"])
    response = client.post(PAGE, _form(meta))
    assert response.status_code == 302
    test = LiftTest.objects.get(workspace=world.a)
    assert (test.channel, test.spend_change, test.incremental) == (
        meta,
        Decimal(-5000),
        Decimal("-12500.50"),
    )
    assert test.created_by == world.people["alice"]
    event = AuditEvent.objects.get(action="reallocation.lift_test_added")
    assert event.after is not None and event.after["spend_change"] == "-5000"
    assert event.after["channel"] == "Meta" and event.target_label == "Meta 2026-03-04–2026-03-29"
    html = client.get(PAGE).content.decode()
    assert f'data-lift-test="{test.pk}"' in html and "Paused in March" in html
    assert "-NT$5,000" in html


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"last_day": "2026-03-01"}, "last_day", "before the first day"),
        ({"last_day": "2027-06-01"}, "last_day", "at most a year"),
        ({"standard_error": "0"}, "standard_error", "above 0"),
        ({"standard_error": "-5"}, "standard_error", "above 0"),
        ({"spend_change": "0"}, "spend_change", "not 0"),
        ({"spend_change": "NaN"}, "spend_change", ""),
        ({"incremental": "Infinity"}, "incremental", ""),
        ({"incremental": "1e20"}, "incremental", ""),
        ({"first_day": "1899-01-01"}, "first_day", ""),
        ({"outcome": "profit"}, "outcome", ""),
    ],
)
def test_a_wrong_lift_test_is_refused_and_nothing_saved(
    world: Any, changes: dict[str, str], field: str, words: str
) -> None:
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    before = AuditEvent.objects.count()
    response = client_for(world.people["alice"]).post(PAGE, _form(meta, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert not LiftTest.objects.exists() and AuditEvent.objects.count() == before


def test_the_service_refuses_what_the_form_would_and_saves_nothing(world: Any) -> None:
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    foreign = Channel.objects.filter(workspace=world.b).first()
    alice = world.people["alice"]
    for data in (
        _data(foreign),
        _data(meta, last_day=date(2026, 3, 1)),
        _data(meta, standard_error=Decimal(0)),
        _data(meta, spend_change=Decimal(0)),
        _data(meta, incremental=Decimal("NaN")),
        _data(meta, incremental=Decimal(10) ** 12),
    ):
        with pytest.raises(ValidationError):
            services.lift_test_add(workspace=world.a, actor=alice, data=data)
    with pytest.raises(TypeError):
        services.lift_test_add(workspace=world.a, actor=alice, data=_data(meta) | {"x": 1})
    assert (
        not LiftTest.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="reallocation.lift").exists()
    )


def test_another_workspaces_channel_and_lift_test_are_refused(world: Any) -> None:
    alice = client_for(world.people["alice"])
    foreign = Channel.objects.filter(workspace=world.b).first()
    assert foreign is not None
    response = alice.post(PAGE, _form(foreign))
    assert response.status_code == 400 and "channel" in response.context["form"].errors
    theirs = services.lift_test_add(
        workspace=world.b, actor=world.people["charlie"], data=_data(foreign)
    )
    assert alice.post(f"{PAGE}{theirs.pk}/delete/").status_code == 404
    charlie = client_for(world.people["charlie"])
    assert charlie.post(f"/w/beta/reallocation/lift-tests/{theirs.pk}/delete/").status_code == 302
    assert not LiftTest.objects.exists()


def test_deleting_is_audited_and_only_for_budget_editors(world: Any) -> None:
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    test = services.lift_test_add(
        workspace=world.a, actor=world.people["alice"], data=_data(meta, note="kept")
    )
    url = f"{PAGE}{test.pk}/delete/"
    for name in ("maya", "vera", "adam", "amy"):
        client = client_for(world.people[name])
        assert client.post(url).status_code == 403
        assert client.post(PAGE, _form(meta)).status_code == 403
        html = client.get(PAGE).content.decode()
        assert "kept" in html and 'id="lift-test-form"' not in html and url not in html
    agency = client_for(world.people["amy"]).get(PAGE).content.decode()
    assert "NT$" not in agency  # the amounts are the plan's: hidden from the agency
    assert client_for(world.people["mike"]).post(url).status_code == 302
    assert not LiftTest.objects.exists()
    event = AuditEvent.objects.get(action="reallocation.lift_test_deleted")
    assert event.before is not None and event.before["note"] == "kept"
    assert client_for(world.people["mike"]).post(url).status_code == 404


def test_the_pages_in_chinese(world: Any) -> None:
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    services.lift_test_add(workspace=world.a, actor=world.people["alice"], data=_data(meta))
    alice = world.people["alice"]
    alice.language = "zh-hant"
    alice.save()
    client = client_for(alice)
    html = client.get(PAGE).content.decode()
    assert "增量測試" in html
    assert english_on_chinese_page(_main_text(html)) == []
    for english in ("Lift tests", "Record a lift test", "Weekly spend change", "Standard error"):
        assert english not in html, english
    refused = client.post(PAGE, _form(meta, standard_error="0")).content.decode()
    assert "標準誤" in refused and "above 0" not in refused
    assert english_on_chinese_page(_main_text(refused)) == []
    page = client.get("/w/alpha/reallocation/").content.decode()
    assert 'id="lift-tests-link"' in page and "1 lift test" not in page


def test_the_list_reads_in_constant_queries_whatever_the_number_of_tests(world: Any) -> None:
    channels = list(Channel.objects.filter(workspace=world.a))
    client = client_for(world.people["alice"])
    counts = []
    for n in (2, 30):
        for i in range(n - len(LiftTest.objects.filter(workspace=world.a))):
            channel = channels[i % len(channels)]
            services.lift_test_add(
                workspace=world.a, actor=world.people["alice"], data=_data(channel, note=f"t{i}")
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAGE)
        assert response.content.decode().count("data-lift-test=") == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ------------------------------------------------------------------- the fit


@pytest.mark.parametrize("seed", [11, 12])
def test_a_true_pause_test_makes_the_unknown_roi_known(world: Any, seed: int) -> None:
    f = weak_channel(world, seed)
    before = _fit(world, f)
    display = next(c for c in before.curves["channels"] if c["name"] == "Display")
    assert "Display" in {r["name"] for r in before.curves["fit"]["roi_unknown"]}
    services.lift_test_add(workspace=world.a, actor=world.people["alice"], data=_pause(f, 40, 47))
    after = _fit(world, f)
    assert after.status == "done", after.message
    assert after.curves["fit"]["lift_tests"] == 1
    assert after.curves["fit"]["lift_tests_used"] == [LiftTest.objects.get().pk]
    narrowed = next(c for c in after.curves["channels"] if c["name"] == "Display")
    width = lambda c: c["roi_high"] - c["roi_low"]  # noqa: E731
    assert width(narrowed) < 0.5 * width(display)
    spend = f["display_spend"]
    truth = sum(display_revenue(x) for x in spend) / sum(spend)
    assert narrowed["roi_low"] <= truth <= narrowed["roi_high"]
    page = client_for(world.people["alice"]).get(f"/w/alpha/reallocation/fits/{after.pk}/")
    assert "1 lift test used." in page.content.decode()


def test_the_lift_tests_a_fit_cannot_use_are_listed_with_the_reason(world: Any) -> None:
    f = responsive_channels(world)
    search, social, seo = f["channels"]
    flat = Channel.objects.create(workspace=world.a, name="Flat", kind="paid")
    first = f["first"]
    metric_rows(
        world.a, flat, [first + timedelta(days=d) for d in range(7 * 60)], spend_x100=100_000
    )
    alice = world.people["alice"]
    inside = {"first_day": first + timedelta(days=14), "last_day": first + timedelta(days=40)}
    made = {
        "used": _data(search, **inside),
        "other_outcome": _data(social, outcome="conversions", **inside),
        "outside_data": _data(social, first_day=first - timedelta(days=30), last_day=first),
        "channel_not_in_data": _data(seo, **inside),
        "channel_not_modelled": _data(flat, **inside),
    }
    ids = {
        code: services.lift_test_add(workspace=world.a, actor=alice, data=data).pk
        for code, data in made.items()
    }
    fit = _fit(world, f)
    assert fit.status == "done", fit.message
    info = fit.curves["fit"]
    assert info["lift_tests"] == 1 and info["lift_tests_used"] == [ids["used"]]
    unused = {entry["id"]: entry["code"] for entry in info["lift_tests_unused"]}
    assert unused == {ids[code]: code for code in made if code != "used"}
    url = f"/w/alpha/reallocation/fits/{fit.pk}/"
    html = client_for(alice).get(url).content.decode()
    assert "1 lift test used." in html and 'id="lift-tests-unused"' in html
    for code in unused.values():
        assert code not in html  # worded, not the fallback with the code
    assert "another outcome" in html and "leaves its channel out" in html
    # The days as the page writes dates, not the document's ISO form.
    outside = made["outside_data"]
    assert outside["first_day"].isoformat() not in html
    with translation.override("en"):
        assert date_format(outside["first_day"], "SHORT_DATE_FORMAT") in html
    alice.language = "zh-hant"
    alice.save()
    chinese = client_for(alice).get(url).content.decode()
    assert "未採用" in chinese
    assert english_on_chinese_page(_main_text(chinese)) == []
    for english in ("lift test used", "Lift tests not used", "another outcome"):
        assert english not in chinese, english
