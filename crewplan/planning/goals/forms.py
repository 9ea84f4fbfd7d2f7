from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from crewplan.audit.forms import RevisionModelForm
from crewplan.planning.goals import kpis
from crewplan.planning.goals.messages import METRIC_NAMES, kpi_name, metric_name
from crewplan.planning.models import Goal, Kpi
from crewplan.workspaces.fields import DateInRangeField


class GoalForm(RevisionModelForm):
    class Meta:
        model = Goal
        fields = ["text", "kpi", "baseline", "target", "deadline", "objective", "owner"]
        field_classes = {"deadline": DateInRangeField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            # The browser's date picker reads ISO dates only, whatever the language.
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "text": _(
                "What should change, where, by how much: “官網轉換率 6 月底前從 1.8% 到 2.2%”."
            ),
            "objective": _(
                "The business result it serves, e.g. “online revenue to a third of sales”."
            ),
        }

    def __init__(self, *args: Any, kpis: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = kpis  # type: ignore[attr-defined]
        self.fields["owner"].queryset = teams  # type: ignore[attr-defined]
        self.fields["kpi"].empty_label = _("Choose a KPI")  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = _("Choose a team")  # type: ignore[attr-defined]
        for name in ("baseline", "target"):  # 1.8, not the column's 1.8000
            value = self.initial.get(name)
            if value is not None:
                self.initial[name] = plain_number(value)


def plain_number(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def metric_choices(current: str) -> list[tuple[str, str]]:
    """The catalogue's metrics by their labels, and the KPI's own metric if it has one
    outside the catalogue (kept, not lost on save)."""
    choices = [(key, metric_name(key)) for key in METRIC_NAMES]
    choices.sort(key=lambda choice: choice[1])
    if current and current not in METRIC_NAMES:
        choices.insert(0, (current, current))
    return choices


class MetricField(forms.ChoiceField):
    """A catalogue metric chosen by its label, or a metric of the workspace's own posted by
    its name (the form's "own metric" box)."""

    default_validators = [ProhibitNullCharactersValidator()]  # what CharField refuses too

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(value) or 0 < len(str(value)) <= 40


class KpiForm(RevisionModelForm):
    """The metrics are chosen by their translated labels; a metric outside the catalogue is
    typed in the box under each choice, which wins when filled."""

    metric_own = forms.CharField(label=_("or a metric of your own"), required=False, max_length=40)
    denominator_own = forms.CharField(
        label=_("or a metric of your own"), required=False, max_length=40
    )

    class Meta:
        model = Kpi
        fields = ["name", "unit", "direction", "formula", "metric", "denominator", "scale"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        metric, denominator = self.fields["metric"], self.fields["denominator"]
        self.fields["metric"] = MetricField(
            label=metric.label, required=False, choices=metric_choices(self.instance.metric)
        )
        self.fields["denominator"] = MetricField(
            label=denominator.label,
            required=False,
            choices=[("", _("None (not a ratio)")), *metric_choices(self.instance.denominator)],
        )
        order = ["name", "unit", "direction", "formula", "metric", "metric_own"]
        order += ["denominator", "denominator_own", "scale"]
        self.order_fields(order)
        scale = self.initial.get("scale")
        if scale is not None:  # 100, not the column's 100.0000
            self.initial["scale"] = plain_number(Decimal(scale))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("metric", "denominator"):
            own = (data.get(f"{name}_own") or "").strip()
            if own:
                data[name] = own
        if not data.get("metric"):
            self.add_error("metric", _("Choose the metric, or type one of your own."))
        return data


class CatalogueForm(forms.Form):
    keys = forms.MultipleChoiceField(label=_("Built-in KPIs"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(k.key, kpi_name(k.key, language)) for k in kpis.CATALOGUE]
        self.fields["keys"].choices = choices  # type: ignore[attr-defined]


def last_months(today: date, count: int = 12) -> list[date]:
    """The first days of the `count` months before this one, oldest first."""
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return list(reversed(months))


class HistoryForm(forms.Form):
    """One optional value per month for the last 12 months."""

    def __init__(self, *args: Any, months: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.months = months
        for month in months:
            self.fields[f"m{month:%Y%m}"] = forms.DecimalField(
                label=f"{month:%Y-%m}", required=False, max_digits=18, decimal_places=4
            )

    def values(self) -> dict[date, Any]:
        return {month: self.cleaned_data.get(f"m{month:%Y%m}") for month in self.months}


def fiscal_months(year: int, start_month: int) -> list[date]:
    """The first days of the twelve months of fiscal year `year` (named after the calendar
    year it starts in)."""
    return [
        date(year + (start_month - 1 + i) // 12, (start_month - 1 + i) % 12 + 1, 1)
        for i in range(12)
    ]


class TargetsForm(forms.Form):
    """One optional target per month and per quarter of a fiscal year."""

    def __init__(self, *args: Any, months: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.months = months
        self.quarters = months[::3]
        for month in months:
            self.fields[f"m{month:%Y%m}"] = forms.DecimalField(
                label=f"{month:%Y-%m}", required=False, max_digits=18, decimal_places=4
            )
        for number, starts in enumerate(self.quarters, start=1):
            self.fields[f"q{starts:%Y%m}"] = forms.DecimalField(
                label=_("Quarter %(n)s") % {"n": number},
                required=False,
                max_digits=18,
                decimal_places=4,
            )

    def rows(self, actuals: dict[date, Any]) -> list[tuple[forms.BoundField, Any]]:
        return [(self[f"m{m:%Y%m}"], actuals.get(m)) for m in self.months]

    def quarter_fields(self) -> list[forms.BoundField]:
        return [self[f"q{q:%Y%m}"] for q in self.quarters]

    def values(self) -> dict[tuple[str, date], Any]:
        data = self.cleaned_data
        values = {("month", m): data.get(f"m{m:%Y%m}") for m in self.months}
        values |= {("quarter", q): data.get(f"q{q:%Y%m}") for q in self.quarters}
        return values
