"""Signing in with e-mail, the rate limit, password reset by e-mail, and languages."""

import re
from typing import Any

from django.core import mail
from django.test import Client, override_settings

from tests.factories import PASSWORD, client_for


def test_login_with_email_any_case(world: Any, client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": "ALICE@a.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/w/alpha/").status_code == 200


def test_wrong_password_says_so(world: Any, client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "alice@a.example", "password": "nope"})
    assert response.status_code == 200
    assert "電子郵件地址或密碼不正確" in str(response.context["form"].non_field_errors())


@override_settings(AXES_FAILURE_LIMIT=3)
def test_login_is_rate_limited(world: Any, client: Client) -> None:
    for _ in range(3):
        client.post("/accounts/login/", {"username": "alice@a.example", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "alice@a.example", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "登入失敗次數過多" in response.content.decode()
    assert client.get("/w/alpha/").status_code == 302  # still signed out
    other = Client()  # another account from the same address is not locked
    assert (
        other.post(
            "/accounts/login/", {"username": "mike@a.example", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_logout_needs_post(world: Any) -> None:
    alice = client_for(world.people["alice"])
    assert alice.get("/accounts/logout/").status_code == 405
    assert alice.get("/w/alpha/").status_code == 200
    alice.post("/accounts/logout/")
    assert alice.get("/w/alpha/").status_code == 302


def test_anonymous_is_sent_to_login(db: Any, client: Client) -> None:
    response = client.get("/w/alpha/people/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_password_reset_by_email(world: Any, client: Client) -> None:
    response = client.post("/accounts/password-reset/", {"email": "alice@a.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@a.example"]
    link = re.search(r"https?://[^\s]+/reset/[^\s]+/", mail.outbox[0].body)
    assert link
    path = "/" + link.group(0).split("/", 3)[3]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(
        set_url, {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"}
    )
    assert done.status_code == 302
    fresh = Client()
    ok = fresh.post(
        "/accounts/login/", {"username": "alice@a.example", "password": "brand-new-pass-77"}
    )
    assert ok.status_code == 302
    # The link works once.
    assert client.get(path, follow=True).context["validlink"] is False


def test_password_reset_for_unknown_address_sends_nothing(db: Any, client: Client) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@x.example"})
    assert response.status_code == 302  # same answer: no account probing
    assert mail.outbox == []


def test_login_page_follows_browser_language(db: Any) -> None:
    zh = Client(headers={"accept-language": "zh-TW,zh;q=0.9,en;q=0.8"}).get("/accounts/login/")
    assert 'lang="zh-Hant-TW"' in zh.content.decode()
    assert "登入" in zh.content.decode()
    en = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/accounts/login/")
    assert '<html lang="en">' in en.content.decode()
    assert "Sign in to crewplan" in en.content.decode()


def test_language_choice_is_saved_on_the_account(world: Any) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post("/accounts/language/", {"language": "en", "next": "/w/alpha/people/"})
    assert response.status_code == 302 and response["Location"] == "/w/alpha/people/"
    world.people["alice"].refresh_from_db()
    assert world.people["alice"].language == "en"
    elsewhere = client_for(world.people["alice"])  # another device: no cookie
    assert "People & teams" in elsewhere.get("/w/alpha/people/").content.decode()
    alice.post("/accounts/language/", {"language": "zh-hant"})
    assert "人員與團隊" in alice.get("/w/alpha/people/").content.decode()


def test_language_switch_refuses_unknown_language_and_foreign_redirect(world: Any) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(
        "/accounts/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    world.people["alice"].refresh_from_db()
    assert world.people["alice"].language == ""


def test_workspace_language_is_the_default(world: Any) -> None:
    maya = client_for(world.people["maya"])  # no preference of her own
    assert "People & teams" in maya.get("/w/alpha/people/").content.decode()
    world.a.default_language = "zh-hant"
    world.a.save()
    assert "人員與團隊" in maya.get("/w/alpha/people/").content.decode()


def test_profile_sets_name_and_language(world: Any) -> None:
    maya = client_for(world.people["maya"])
    data = {"full_name": "黃美雅", "language": "en", "email_notifications": "daily"}
    response = maya.post("/accounts/profile/", data)
    assert response.status_code == 302
    world.people["maya"].refresh_from_db()
    maya_user = world.people["maya"]
    assert (maya_user.full_name, maya_user.language) == ("黃美雅", "en")
    assert maya_user.email_notifications == "daily"
    bad = maya.post("/accounts/profile/", data | {"email_notifications": "hourly"})
    assert bad.status_code in (200, 400)
    maya_user.refresh_from_db()
    assert maya_user.email_notifications == "daily"


def test_password_change_keeps_this_session_and_ends_the_others(world: Any) -> None:
    user = world.people["maya"]
    here, elsewhere = client_for(user), client_for(user)
    page = here.get("/accounts/password/")
    assert page.status_code == 200 and 'name="old_password"' in page.content.decode()
    assert "/accounts/password/" in here.get("/accounts/profile/").content.decode()

    new = "another-long-pass-77"
    refused = [
        {"old_password": "wrong-password", "new_password1": new, "new_password2": new},
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new + "x"},
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    ]
    for data in refused:
        response = here.post("/accounts/password/", data)
        assert response.status_code == 200 and 'class="error"' in response.content.decode()
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.check_password(new)
    assert "密碼已變更" in here.get("/accounts/profile/").content.decode()
    assert here.get("/accounts/profile/").status_code == 200  # still signed in here
    assert elsewhere.get("/accounts/profile/").status_code == 302  # signed out there


def test_password_change_needs_a_signed_in_person(db: Any) -> None:
    response = Client().get("/accounts/password/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
