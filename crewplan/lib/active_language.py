"""The language a page is being worded in: Django's side of `lib/language.py`, which
stays pure so the cores can use it."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import get_language

from crewplan.lib.language import normalize


def active_language() -> str:
    """The active Django language, normalized (the request's, or an override's)."""
    return normalize(get_language())


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Word what follows in `language` (a command's, an export's); in the active language
    when None. The one place the messages modules switch language."""
    if language is None:
        yield
        return
    with translation.override(normalize(language)):
        yield
