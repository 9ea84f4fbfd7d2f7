"""`crewplan calendar import` and `crewplan notify` through call_command."""

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from crewplan.work.models import CalendarDay
from tests.factories import client_for

CSV = (
    "西元日期,星期,是否放假,備註\n"
    "20270101,五,2,開國紀念日\n"
    "20270102,六,2,\n"
    "20270206,六,0,補行上班\n"
)


def test_calendar_import_overrides_the_package(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "115年.csv"
    path.write_bytes(CSV.encode("cp950"))  # the older files are Big5 (cp950)
    out = io.StringIO()
    call_command("calendar", "import", str(path), stdout=out)
    assert "2 holiday(s)" in out.getvalue()
    assert dict(CalendarDay.objects.values_list("day", "kind")) == {
        date(2027, 1, 1): "holiday",
        date(2027, 2, 6): "makeup_workday",
    }
    alice = client_for(world.people["alice"])
    page = alice.get("/w/alpha/work/?d=2027-02-01").content.decode()
    assert 'class="day makeup_workday" data-day="2027-02-06"' in page.replace(" other-month", "")


def test_calendar_import_refuses_a_bad_file(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,off\n20270101,2\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("calendar", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 2
    assert not CalendarDay.objects.exists()


def test_notify_command_runs(db: Any) -> None:
    out = io.StringIO()
    call_command("notify", stdout=out)
    assert out.getvalue().strip() == "0 reminder(s), 0 digest e-mail(s)"
