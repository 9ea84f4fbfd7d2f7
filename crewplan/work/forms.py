from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionField, RevisionModelForm
from crewplan.work.models import WorkItem
from crewplan.work.services import ITEM_FIELDS
from crewplan.workspaces.fields import DateInRangeField, DateTimeInRangeField


class ItemForm(RevisionModelForm):
    class Meta:
        model = WorkItem
        fields = list(ITEM_FIELDS)  # what the item services take
        field_classes = {"due_on": DateInRangeField, "publish_at": DateTimeInRangeField}
        widgets = {
            "brief": forms.Textarea(attrs={"rows": 3}),
            "copy": forms.Textarea(attrs={"rows": 6}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "publish_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(
        self, *args: Any, activities: Any, goals: Any, budget_lines: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["budget_line"].queryset = budget_lines  # type: ignore[attr-defined]
        self.fields["activity"].empty_label = _("Choose the RACI activity")  # type: ignore[attr-defined]
        self.fields["goal"].empty_label = _("No goal")  # type: ignore[attr-defined]
        self.fields["budget_line"].empty_label = _("No budget line")  # type: ignore[attr-defined]
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        due, publish = data.get("due_on"), data.get("publish_at")
        if isinstance(due, date) and isinstance(publish, datetime) and publish.date() < due:
            self.add_error("publish_at", _("The publish time is before the due date."))
        return data


class RescheduleForm(forms.Form):
    """Drag and drop, or the keyboard fallback: a new day, the time of day kept."""

    # A date input takes ISO dates whatever the language (zh-Hant's format is 2026/12/10).
    day = DateInRangeField(
        label=_("New date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)  # always required


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    action = forms.CharField(max_length=24)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    override = forms.BooleanField(required=False)  # of the content checks' errors
    revision = forms.IntegerField(min_value=1)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("、", ",").replace("，", ",").split(",") if w.strip()]


class RulesForm(forms.Form):
    """A workspace's content rules, written the way people keep such lists; stored as the
    keys of work/checks.py's rules that differ from the defaults."""

    checks = forms.MultipleChoiceField(
        label=_("Checks to run"),
        choices=[
            ("glossary", _("Brand glossary")),
            ("risky_claim", _("Risky claims")),
            ("length", _("Channel length limits")),
            ("hashtags", _("Instagram hashtag limit")),
            ("vocabulary", _("Taiwan vocabulary")),
            ("disclosure", _("Sponsored-content disclosure")),
            ("utm", _("UTM parameters on links")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    glossary = forms.CharField(
        label=_("Brand glossary"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One term a line: the preferred term, a colon, then the variants to avoid, "
            "e.g. LINE 官方帳號: LINE@, Line 官方帳號"
        ),
    )
    product_category = forms.ChoiceField(
        label=_("What you sell"),
        choices=[
            ("", _("Not set: risky claims are warnings")),
            ("food", _("Food")),
            ("health_food", _("Health food (with a permit)")),
            ("cosmetics", _("Cosmetics")),
            ("drugs", _("Drugs or medical devices")),
            ("other", _("Other goods or services")),
        ],
        required=False,
        help_text=_("The rules, and how serious a risky claim is, depend on the product."),
    )
    extra_claims = forms.CharField(
        label=_("More risky claims"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line: the phrase, then optionally | the allowed wording, e.g. "
            "一週瘦五公斤 | 幫助維持體態"
        ),
    )
    drop_claims = forms.CharField(
        label=_("Default claims to ignore"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Words the built-in check flags that do not apply to your products, one a line "
            "(the words as flagged, or what they are about, e.g. 美白)."
        ),
    )
    disclosure_words = forms.CharField(
        label=_("Disclosure words"),
        max_length=2000,
        required=False,
        help_text=_("Comma-separated; a sponsored item must contain one of them."),
    )
    utm_exempt_domains = forms.CharField(
        label=_("Your own domains"),
        max_length=2000,
        required=False,
        help_text=_("Comma-separated; links to them need no UTM parameters."),
    )
    instagram_hashtag_limit = forms.IntegerField(
        label=_("Most hashtags on Instagram"), min_value=0, max_value=60
    )
    revision = RevisionField()  # the stored rules', once there are any (expect_revision)

    def to_dict(self) -> dict[str, Any]:
        """The rules as the keys work/checks.py layers over its defaults."""
        data = self.cleaned_data
        glossary = []
        for line in _lines(data["glossary"]):
            preferred, _sep, variants = line.replace("：", ":").partition(":")
            glossary.append({"preferred": preferred.strip(), "forbidden": _words(variants)})
        extra = []
        for line in _lines(data["extra_claims"]):
            phrase, _sep, alternative = line.partition("|")
            extra.append(
                {"phrase": phrase.strip(), "category": "custom", "alternative": alternative.strip()}
            )
        return {
            "checks": list(data["checks"]),
            "product_category": data["product_category"],
            "glossary": glossary,
            "extra_risky_claims": extra,
            "drop_risky_claims": _lines(data["drop_claims"]),
            "disclosure_words": _words(data["disclosure_words"]),
            "utm_exempt_domains": _words(data["utm_exempt_domains"]),
            "instagram_hashtag_limit": data["instagram_hashtag_limit"],
        }


def rules_initial(saved: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The form's fields from a workspace's stored keys (defaults where it has none)."""
    merged = {**defaults, **saved}
    return {
        "checks": merged["checks"],
        "product_category": merged.get("product_category", ""),
        "glossary": "\n".join(
            f"{g['preferred']}: {', '.join(g['forbidden'])}" for g in merged.get("glossary", [])
        ),
        "extra_claims": "\n".join(
            c["phrase"] + (f" | {c['alternative']}" if c.get("alternative") else "")
            for c in saved.get("extra_risky_claims", [])
        ),
        "drop_claims": "\n".join(saved.get("drop_risky_claims", [])),
        "disclosure_words": ", ".join(merged["disclosure_words"]),
        "utm_exempt_domains": ", ".join(merged["utm_exempt_domains"]),
        "instagram_hashtag_limit": merged["instagram_hashtag_limit"],
    }


class RolesForm(forms.Form):
    """Per-item overrides: for each letter, the people who replace the matrix's; empty
    keeps the matrix."""

    def __init__(
        self, *args: Any, members: Any, current: dict[str, list[int]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(m.pk, f"{m.user.display_name} ({m.team.name})") for m in members]
        for letter in ("R", "A", "C", "I"):
            self.fields[letter] = forms.TypedMultipleChoiceField(
                label=letter,
                choices=choices,
                coerce=int,
                required=False,
                initial=current.get(letter, []),
                widget=forms.SelectMultiple(attrs={"size": 4}),
            )
