"""A core's finding with its sentences, worded only when first read: a large matrix or
plan has thousands of findings of which a page shows a few. Each messages module
subclasses `Worded` with its `_word()` (message, fix) and the finding's fields its
readers use (templates, exports, commands)."""

from typing import Any


class Worded:
    __slots__ = ("_text", "finding", "language")

    def __init__(self, finding: Any, language: str | None = None) -> None:
        self.finding = finding
        self.language = language
        self._text: tuple[str, str] | None = None

    def _word(self) -> tuple[str, str]:
        """The finding's message and suggested fix, in `self.language`."""
        raise NotImplementedError

    def _wording(self) -> tuple[str, str]:
        if self._text is None:
            self._text = self._word()
        return self._text

    @property
    def code(self) -> str:
        return str(self.finding.code)

    @property
    def params(self) -> Any:
        return self.finding.params

    @property
    def message(self) -> str:
        return self._wording()[0]

    @property
    def fix(self) -> str:
        return self._wording()[1]
