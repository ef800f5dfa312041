"""Background imports whose worker died are taken back by the tick and run again."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helpwanted.mail.tick import run_tick
from helpwanted.network.imports import STALLED_MESSAGE, import_file, import_jobs_resume
from helpwanted.network.models import ImportJob, Person
from helpwanted.network.tasks import run_import

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
ROWS = 24
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def linkedin_rows(rows: range) -> bytes:
    lines = [
        f"P{i},Q,https://www.linkedin.com/in/p{i},p{i}@example.org,Acme,Engineer,12 Mar 2024"
        for i in rows
    ]
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode()


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def job(alice, alice_client, clock, settings) -> ImportJob:
    """A confirmed import big enough to be queued for the worker, at T0."""
    settings.IMPORT_BACKGROUND_ROWS = 10
    alice_client.post(
        reverse("network:import_upload"),
        {
            "file": SimpleUploadedFile("Connections.csv", linkedin_rows(range(ROWS))),
            "format": "auto",
        },
    )
    queued = ImportJob.objects.get(owner=alice)
    alice_client.post(reverse("network:import_confirm", args=[queued.pk]))
    queued.refresh_from_db()
    assert queued.status == "queued"
    return queued


def import_tasks(status: str | None = None) -> list[DBTaskResult]:
    tasks = DBTaskResult.objects.filter(task_path="helpwanted.network.tasks.run_import")
    if status:
        tasks = tasks.filter(status=status)
    return list(tasks.order_by("enqueued_at", "id"))


def worker_dies_mid_import(job: ImportJob, *, imported: int = 0) -> None:
    """What a worker killed part-way through leaves behind: its task row marked running, the
    job claimed with its progress at `imported` rows, and (for the harder case) those rows
    already written."""
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    claimed = ImportJob.objects.filter(pk=job.pk, status="queued").update(
        status="running", processed=imported, heartbeat_at=timezone.now()
    )
    assert claimed == 1
    if imported:
        import_file(owner=job.owner, data=linkedin_rows(range(imported)), filename="part.csv")
    job.refresh_from_db()


def test_a_stalled_running_import_is_resumed_once_and_completes(alice, job, clock):
    worker_dies_mid_import(job, imported=ROWS // 2)
    assert Person.objects.filter(owner=alice).count() == ROWS // 2

    clock.shift(timedelta(minutes=11))
    assert run_tick()["import_jobs_resume"] == 1
    job.refresh_from_db()
    assert (job.status, job.stalls, job.processed) == ("queued", 1, 0)
    assert job.heartbeat_at == timezone.now()
    waiting = import_tasks("READY")
    assert [t.args_kwargs["args"] for t in waiting] == [[job.pk]]
    assert job.task_id == str(waiting[0].id)

    run_import.call(job.pk)  # what the worker does with the new task
    job.refresh_from_db()
    assert (job.status, job.total, job.processed) == ("done", ROWS, ROWS)
    assert (job.created, job.updated, job.unchanged, job.skipped) == (ROWS // 2, 0, ROWS // 2, 0)
    people = Person.objects.filter(owner=alice)
    assert people.count() == ROWS
    duplicates = people.values("linkedin_url").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()

    clock.shift(timedelta(hours=1))
    assert import_jobs_resume() == 0  # a finished job is never taken back
    assert len(import_tasks()) == 2  # the original task and the one resume


def test_a_running_import_with_recent_progress_is_left_alone(job, clock):
    worker_dies_mid_import(job)
    clock.shift(timedelta(minutes=8))
    ImportJob.objects.filter(pk=job.pk).update(processed=10, heartbeat_at=timezone.now())

    clock.shift(timedelta(minutes=9))  # 17 minutes after the claim, 9 after the last progress
    assert import_jobs_resume() == 0
    job.refresh_from_db()
    assert (job.status, job.stalls, job.processed) == ("running", 0, 10)
    assert len(import_tasks()) == 1

    clock.shift(timedelta(minutes=2))
    assert import_jobs_resume() == 1


def test_claiming_a_job_marks_it_alive(job, clock):
    clock.shift(timedelta(minutes=30))
    run_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.heartbeat_at == T0 + timedelta(minutes=30)


def test_a_queued_import_whose_task_was_lost_is_queued_again(alice, job, clock):
    DBTaskResult.objects.all().delete()  # the task row is gone; nothing would ever run it

    clock.shift(timedelta(minutes=9))
    assert import_jobs_resume() == 0
    clock.shift(timedelta(minutes=2))
    assert import_jobs_resume() == 1
    job.refresh_from_db()
    assert (job.status, job.stalls) == ("queued", 1)
    [task] = import_tasks("READY")
    assert task.args_kwargs["args"] == [job.pk]

    run_import.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", ROWS)
    assert Person.objects.filter(owner=alice).count() == ROWS


def test_a_queued_import_still_waiting_for_a_worker_is_left_alone(job, clock):
    clock.shift(timedelta(hours=2))  # a long queue, but its task will still be run
    assert import_jobs_resume() == 0
    job.refresh_from_db()
    assert (job.status, job.stalls) == ("queued", 0)
    assert len(import_tasks()) == 1


def test_two_ticks_at_once_take_a_stalled_import_back_once(job, clock):
    worker_dies_mid_import(job)
    clock.shift(timedelta(minutes=11))
    assert [import_jobs_resume(), import_jobs_resume()] == [1, 0]
    job.refresh_from_db()
    assert (job.status, job.stalls) == ("queued", 1)
    assert len(import_tasks("READY")) == 1


def test_after_three_stalls_the_seeker_is_told_to_try_the_file_again(job, clock, alice_client):
    for stall in (1, 2):
        worker_dies_mid_import(job)
        clock.shift(timedelta(minutes=11))
        assert import_jobs_resume() == 1
        job.refresh_from_db()
        assert (job.status, job.stalls) == ("queued", stall)

    worker_dies_mid_import(job)
    clock.shift(timedelta(minutes=11))
    assert import_jobs_resume() == 1
    job.refresh_from_db()
    assert (job.status, job.stalls, job.failure) == ("failed", 3, STALLED_MESSAGE)
    assert bytes(job.data) == b"" and job.finished_at == timezone.now()
    assert len(import_tasks()) == 3  # the original task and two resumes, no more

    clock.shift(timedelta(hours=1))
    assert import_jobs_resume() == 0

    url = reverse("network:import_progress", args=[job.pk])
    page = alice_client.get(url).content.decode()
    assert "This import didn't finish." in page
    assert html.escape(STALLED_MESSAGE) in page
    assert "hx-trigger" not in page  # the page stops polling
    assert "<progress" not in page
