"""Background work: tasks go into the database (django-tasks-db) and `crewplan worker`
runs them; an import run as a task reports progress while its one transaction is open,
a failing one is marked failed with a reason and commits nothing, a killed one is
recovered; the page polls a progress fragment; e-mail goes through the same queue.

The worker runs in-process for one batch (`crewplan worker --batch`), on `transactional_db`:
what the page enqueues really commits, as the worker process would see it."""

import signal
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.tasks import task
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from crewplan.measure.models import Campaign, Channel, DailyMetric, Import
from crewplan.measure.tasks import current_progress, recover_stale_imports, run_tracked
from crewplan.workspaces import services
from tests.factories import client_for, queued_import

SEEN: dict[str, int] = {}  # what the task saw while its transaction was open


@task
def write_rows(import_id: int, campaign_id: int, rows: int, fail_after: int | None = None) -> None:
    """A stand-in for the import service: writes `rows` days of one campaign in ONE
    transaction, reporting progress after each; raises after `fail_after` rows."""

    def work(progress: Any) -> None:
        campaign = Campaign.objects.select_related("channel").get(pk=campaign_id)
        record = Import.objects.get(pk=import_id)
        with transaction.atomic():
            for n in range(rows):
                if n == fail_after:
                    raise RuntimeError("disk full")
                DailyMetric.objects.create(
                    workspace_id=campaign.workspace_id,
                    day=date(2026, 9, 1) + timedelta(days=n),
                    channel=campaign.channel,
                    campaign=campaign,
                    spend_x100=100_00,
                    source=record,
                )
                progress((n + 1) * 100 // rows)
                if n == rows // 2:
                    record.refresh_from_db()
                    SEEN["progress"] = current_progress(record)

    run_tracked(import_id, work)


@pytest.fixture
def queued_in_db(transactional_db: Any) -> Iterator[None]:
    """The production setting: tasks wait in the database for the worker."""
    with override_settings(TASKS={"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}):
        yield


@pytest.fixture(autouse=True)
def _signals_restored() -> Iterator[None]:
    """The worker takes over SIGINT/SIGTERM for a graceful stop; give pytest them back."""
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


def run_worker() -> None:
    call_command("worker", batch=True, verbosity=0)


def campaign_of(workspace: Any) -> Campaign:
    channel = Channel.objects.get(workspace=workspace, name="Google Ads")  # a default channel
    return Campaign.objects.create(workspace=workspace, channel=channel, name="Mooncake")


def test_the_queue_is_a_table_and_the_worker_runs_it(queued_in_db: Any, world: Any) -> None:
    record = queued_import(world.a, world.people["alice"])
    campaign = campaign_of(world.a)
    SEEN.clear()
    result = write_rows.enqueue(record.pk, campaign.pk, 10)
    queued = DBTaskResult.objects.get(pk=result.id)
    assert queued.status == "READY" and queued.task_path.endswith("test_tasks.write_rows")
    record.refresh_from_db()
    assert record.status == Import.Status.QUEUED  # nothing runs before the worker does
    assert not DailyMetric.objects.exists()

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    record.refresh_from_db()
    assert (record.status, record.progress) == (Import.Status.DONE, 100)
    assert record.finished_at is not None
    assert DailyMetric.objects.filter(source=record).count() == 10
    # Halfway, with the rows not yet committed, the page could already read 60 %.
    assert SEEN["progress"] == 60


def test_a_failing_import_is_failed_with_its_reason_and_commits_nothing(
    queued_in_db: Any, world: Any
) -> None:
    record = queued_import(world.a, world.people["alice"])
    result = write_rows.enqueue(record.pk, campaign_of(world.a).pk, 10, 7)
    run_worker()
    record.refresh_from_db()
    assert record.status == Import.Status.FAILED
    assert "stopped before it finished (RuntimeError) and changed nothing" in record.message
    assert "disk full" not in record.message  # details are for the log, not the page
    assert not DailyMetric.objects.exists()  # the 7 rows written before are rolled back
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"


def test_the_reason_is_in_the_importers_language(queued_in_db: Any, world: Any) -> None:
    charlie = world.people["charlie"]  # workspace B speaks Chinese
    record = queued_import(world.b, charlie)
    write_rows.enqueue(record.pk, campaign_of(world.b).pk, 4, 2)
    run_worker()
    record.refresh_from_db()
    assert record.status == Import.Status.FAILED
    assert record.message.startswith("匯入在完成前中止（RuntimeError）")


def test_a_task_delivered_twice_runs_once(queued_in_db: Any, world: Any) -> None:
    record = queued_import(world.a, world.people["alice"])
    campaign = campaign_of(world.a)
    write_rows.enqueue(record.pk, campaign.pk, 3)
    write_rows.enqueue(record.pk, campaign.pk, 3)
    run_worker()
    assert DailyMetric.objects.count() == 3
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 2


def test_stale_running_imports_are_recovered(world: Any) -> None:
    now = timezone.now()
    alice = world.people["alice"]
    minutes_ago = lambda n: now - timedelta(minutes=n)  # noqa: E731
    killed = queued_import(world.a, alice, status="running", progress_at=minutes_ago(11))
    working = queued_import(world.a, alice, status="running", progress_at=minutes_ago(5))
    waiting = queued_import(world.a, alice, created_at=now - timedelta(hours=2))
    other = queued_import(
        world.b, world.people["charlie"], status="running", progress_at=now - timedelta(hours=1)
    )
    assert recover_stale_imports(workspace=world.a, now=now) == 1
    statuses = dict(Import.objects.values_list("pk", "status"))
    assert statuses == {
        killed.pk: "failed",
        working.pk: "running",
        waiting.pk: "queued",  # not started: the worker is only behind
        other.pk: "running",  # another workspace's page recovers nothing of B
    }
    killed.refresh_from_db()
    assert "its worker was stopped or crashed" in killed.message
    assert killed.finished_at is not None
    # Five minutes on, the one that was working has gone silent too.
    assert recover_stale_imports(now=now + timedelta(minutes=6)) == 2


def test_the_worker_recovers_stale_imports_when_it_starts(queued_in_db: Any, world: Any) -> None:
    killed = queued_import(
        world.b,
        world.people["charlie"],
        status="running",
        progress_at=timezone.now() - timedelta(minutes=30),
    )
    run_worker()
    killed.refresh_from_db()
    assert killed.status == Import.Status.FAILED
    assert killed.message.startswith("匯入已中止")


def test_the_worker_refuses_when_tasks_do_not_go_through_the_database(db: Any) -> None:
    with pytest.raises(CommandError, match="nothing for this worker to run"):
        run_worker()


def test_email_goes_through_the_queue(queued_in_db: Any, world: Any) -> None:
    mail.outbox.clear()
    services.invitation_create(
        workspace=world.a,
        actor=world.people["alice"],
        email="new@agency.example",
        team=world.a_agency,
        role="member",
    )
    assert mail.outbox == []  # queued after the commit, not sent in the request
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "crewplan.workspaces.services.email_invitation"
    run_worker()
    assert [m.to for m in mail.outbox] == [["new@agency.example"]]
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


def progress_url(record: Import) -> str:
    return f"/w/{record.workspace.slug}/results/imports/{record.pk}/progress/"


def test_progress_fragment_polls_while_queued_and_shows_counts_when_done(world: Any) -> None:
    alice = client_for(world.people["alice"])
    record = queued_import(world.a, world.people["alice"], file_name="ads-sept.csv")
    body = alice.get(progress_url(record)).content.decode()
    assert '<progress max="100" value="0">' in body
    assert f'hx-get="{progress_url(record)}"' in body and 'hx-trigger="every 1s"' in body
    assert "Queued" in body and "0% done" in body and "ads-sept.csv" in body

    Import.objects.filter(pk=record.pk).update(
        status="done", rows_read=1200, rows_added=1000, rows_replaced=150, rows_unchanged=50
    )
    body = alice.get(progress_url(record)).content.decode()
    assert '<progress max="100" value="100">' in body and "hx-trigger" not in body
    assert "Imported" in body and "<dd>1000</dd>" in body and "Replaced" in body
    assert f'href="/w/{record.workspace.slug}/results/imports/{record.pk}/"' in body  # its page


def test_progress_fragment_in_chinese(world: Any) -> None:
    charlie = client_for(world.people["charlie"])
    record = queued_import(world.b, world.people["charlie"], status="running", progress=40)
    body = charlie.get(progress_url(record)).content.decode()
    assert "匯入中" in body and "已完成 40%" in body and 'hx-trigger="every 1s"' in body
    Import.objects.filter(pk=record.pk).update(status="failed", message="")
    body = charlie.get(progress_url(record)).content.decode()
    assert "失敗" in body and "匯入失敗，未變更任何資料。" in body and "hx-trigger" not in body
    for english in ("Failed", "done", "Importing"):
        assert english not in body


@pytest.mark.parametrize(
    ("person", "status"), [("mike", 200), ("adam", 200), ("maya", 403), ("vera", 403)]
)
def test_progress_is_for_those_who_import(world: Any, person: str, status: int) -> None:
    record = queued_import(world.a, world.people["alice"])
    assert client_for(world.people[person]).get(progress_url(record)).status_code == status
