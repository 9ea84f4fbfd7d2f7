"""Form fields every app's forms share (here, beside the access layer every app uses;
lib/ stays free of Django). The dates people type, in one place: every date and datetime
input of crewplan refuses what lies outside lib/dates.py's range, with a message,
instead of saving a date the calendar, the feed or the database cannot handle."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crewplan.lib import dates

OUT_OF_RANGE = _("Enter a date between %(first)s and %(last)s.")


def validate_date_in_range(value: date) -> None:
    if value is not None and not dates.in_range(value):
        raise ValidationError(
            OUT_OF_RANGE,
            code="date_out_of_range",
            params={"first": dates.FIRST_DAY.isoformat(), "last": dates.LAST_DAY.isoformat()},
        )


class DateInRangeField(forms.DateField):
    """A date in the accepted range; the browser's date picker is told the range too."""

    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":
            attrs |= {"min": dates.FIRST_DAY.isoformat(), "max": dates.LAST_DAY.isoformat()}
        return attrs


class DateTimeInRangeField(forms.DateTimeField):
    """A date and time whose date is in the accepted range."""

    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "datetime-local":
            attrs |= {
                "min": f"{dates.FIRST_DAY.isoformat()}T00:00",
                "max": f"{dates.LAST_DAY.isoformat()}T23:59",
            }
        return attrs
