"""The failed-login limit: one count per account whatever the letter case, per
(account, address) so nobody locks a person out of their own address, the client address
taken from the configured proxy depth, and a per-address limit against spraying."""

from typing import Any

from axes.models import AccessAttempt
from django.test import Client, override_settings

from tests.factories import PASSWORD

PROXY = "10.0.0.2"  # the reverse proxy every request arrives from
ATTACKER = "198.51.100.7"
OWNER = "203.0.113.9"


def login(email: str, password: str, **meta: str) -> int:
    response = Client().post("/accounts/login/", {"username": email, "password": password}, **meta)
    return response.status_code


def via_proxy(forwarded_for: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded_for}


@override_settings(AXES_FAILURE_LIMIT=3)
def test_letter_case_variants_share_one_count(world: Any) -> None:
    for variant in ("ALICE@A.EXAMPLE", "Alice@a.example", " alice@A.example "):
        login(variant, "wrong")
    assert login("alice@a.example", PASSWORD) == 429
    assert AccessAttempt.objects.get().username == "alice@a.example"


@override_settings(AXES_FAILURE_LIMIT=3, PROXY_COUNT=1)
def test_lockout_from_one_address_does_not_lock_another(world: Any) -> None:
    for _ in range(3):
        login("alice@a.example", "wrong", **via_proxy(ATTACKER))
    assert login("alice@a.example", PASSWORD, **via_proxy(ATTACKER)) == 429
    # The owner, behind the same proxy, from her own address.
    assert login("alice@a.example", PASSWORD, **via_proxy(OWNER)) == 302


@override_settings(AXES_FAILURE_LIMIT=3, PROXY_COUNT=1)
def test_behind_one_proxy_the_rightmost_forwarded_address_counts(world: Any) -> None:
    # The attacker forges the owner's address as the leftmost entry; the proxy appends
    # the attacker's real one.
    for _ in range(3):
        login("alice@a.example", "wrong", **via_proxy(f"{OWNER}, {ATTACKER}"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert login("alice@a.example", PASSWORD, **via_proxy(f"{OWNER}, {ATTACKER}")) == 429
    assert login("alice@a.example", PASSWORD, **via_proxy(OWNER)) == 302


@override_settings(AXES_FAILURE_LIMIT=3, PROXY_COUNT=2)
def test_behind_two_proxies_the_second_from_the_right_counts(world: Any) -> None:
    login("alice@a.example", "wrong", **via_proxy(f"192.0.2.1, {ATTACKER}, 10.0.0.1"))
    assert AccessAttempt.objects.get().ip_address == ATTACKER


@override_settings(AXES_FAILURE_LIMIT=3, PROXY_COUNT=1)
def test_a_forwarded_entry_that_is_no_address_is_not_trusted(world: Any) -> None:
    login("alice@a.example", "wrong", **via_proxy("not-an-address"))
    assert AccessAttempt.objects.get().ip_address == PROXY


@override_settings(AXES_FAILURE_LIMIT=3, PROXY_COUNT=0)
def test_without_proxy_config_forwarded_for_is_ignored(world: Any) -> None:
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        login("alice@a.example", "wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=forged)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert login("alice@a.example", PASSWORD, REMOTE_ADDR=ATTACKER) == 429
    assert login("alice@a.example", PASSWORD, REMOTE_ADDR=OWNER) == 302


@override_settings(AXES_FAILURE_LIMIT=3, LOGIN_ADDRESS_FAILURE_LIMIT=4)
def test_spraying_many_accounts_from_one_address_locks_the_address(world: Any) -> None:
    for email in ("alice@a.example", "mike@a.example"):
        for _ in range(2):  # below the per-account limit each time
            login(email, "wrong", REMOTE_ADDR=ATTACKER)
    assert login("maya@a.example", PASSWORD, REMOTE_ADDR=ATTACKER) == 429
    assert login("maya@a.example", PASSWORD, REMOTE_ADDR=OWNER) == 302


@override_settings(AXES_FAILURE_LIMIT=3, LOGIN_ADDRESS_FAILURE_LIMIT=0)
def test_per_address_limit_can_be_switched_off(world: Any) -> None:
    for email in ("alice@a.example", "mike@a.example"):
        for _ in range(2):
            login(email, "wrong", REMOTE_ADDR=ATTACKER)
    assert login("maya@a.example", PASSWORD, REMOTE_ADDR=ATTACKER) == 302
