"""The language a page is being worded in: Django's side of `lib/language.py`, which
stays pure so the cores can use it."""

from django.utils.translation import get_language

from crewplan.lib.language import normalize


def active_language() -> str:
    """The active Django language, normalized (the request's, or an override's)."""
    return normalize(get_language())
