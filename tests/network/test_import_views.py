"""Importing contacts in the browser: upload → preview → confirm → progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from helpwanted.network.models import ImportJob, Person
from helpwanted.network.tasks import run_import

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"

pytestmark = pytest.mark.django_db


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def upload(client, data: bytes, name: str = "Connections.csv", fmt: str = "auto"):
    return client.post(
        reverse("network:import_upload"),
        {"file": SimpleUploadedFile(name, data), "format": fmt},
    )


def linkedin_rows(count: int) -> bytes:
    rows = [
        f"P{i},Q,https://www.linkedin.com/in/p{i},,Acme,Engineer,12 Mar 2024" for i in range(count)
    ]
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


def only_job(owner) -> ImportJob:
    return ImportJob.objects.get(owner=owner)


# --------------------------------------------------------------------------- the happy path


def test_the_upload_page_explains_where_each_file_comes_from(alice_client):
    response = alice_client.get(reverse("network:import_upload"))
    assert response.status_code == 200
    page = response.content.decode()
    for words in (
        "Get a copy of your data",
        "Connections.csv",
        "messages.csv",
        "Google CSV",
        "vCard",
    ):
        assert words in page
    assert "You haven't imported anything yet" in page


def test_a_small_file_is_previewed_then_imported_when_the_seeker_confirms(alice, alice_client):
    response = upload(alice_client, fixture("linkedin_connections.csv"))
    job = only_job(alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:import_preview", args=[job.pk])
    assert not Person.objects.filter(owner=alice).exists()  # nothing saved before confirming

    preview = alice_client.get(response["Location"]).content.decode()
    assert "Here's what will happen" in preview
    assert "No name on this row." in preview and "<td>17</td>" in preview
    assert job.preview["created"] == 19 and job.preview["skipped"] == 1

    confirmed = alice_client.post(reverse("network:import_confirm", args=[job.pk]))
    assert confirmed["Location"] == reverse("network:import_progress", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.created, job.skipped, bytes(job.data)) == ("done", 19, 1, b"")
    assert Person.objects.filter(owner=alice).count() == 19

    done = alice_client.get(confirmed["Location"]).content.decode()
    assert "Done. 19 new people are in your people" in done
    assert reverse("network:people") in done
    listing = alice_client.get(reverse("network:import_upload")).content.decode()
    assert reverse("network:import_detail", args=[job.pk]) in listing
    assert "19 new, 0 updated, 0 unchanged, 1 skipped" in listing


def test_confirming_twice_imports_once(alice, alice_client):
    upload(alice_client, fixture("linkedin_connections.csv"))
    job = only_job(alice)
    alice_client.post(reverse("network:import_confirm", args=[job.pk]))
    alice_client.post(reverse("network:import_confirm", args=[job.pk]))
    assert Person.objects.filter(owner=alice).count() == 19


def test_cancelling_a_preview_drops_the_file_and_imports_nothing(alice, alice_client):
    upload(alice_client, fixture("linkedin_connections.csv"))
    job = only_job(alice)
    response = alice_client.post(reverse("network:import_cancel", args=[job.pk]))
    assert response["Location"] == reverse("network:import_upload")
    assert not ImportJob.objects.filter(owner=alice).exists()
    assert not Person.objects.filter(owner=alice).exists()


def test_a_big_file_runs_in_the_background_behind_a_progress_bar(alice, alice_client, settings):
    settings.IMPORT_BACKGROUND_ROWS = 10
    upload(alice_client, linkedin_rows(25))
    job = only_job(alice)
    alice_client.post(reverse("network:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "queued"
    assert not Person.objects.filter(owner=alice).exists()
    task = DBTaskResult.objects.get(task_path="helpwanted.network.tasks.run_import")
    assert task.args_kwargs["args"] == [job.pk]

    url = reverse("network:import_progress", args=[job.pk])
    page = alice_client.get(url).content.decode()
    assert "<progress" in page and f'href="{url}">Refresh</a>' in page
    polling = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in polling and "<html" not in polling

    run_import.call(job.pk)  # what the worker does with the queued task
    job.refresh_from_db()
    assert (job.status, job.created, job.processed, job.total) == ("done", 25, 25, 25)
    finished = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Done. 25 new people" in finished
    assert "hx-trigger" not in finished and "<html" not in finished


def test_the_preview_says_which_encoding_was_used(alice, alice_client):
    upload(alice_client, fixture("linkedin_connections_cp1252.csv"))
    preview = alice_client.get(reverse("network:import_preview", args=[only_job(alice).pk]))
    assert "Windows-1252" in preview.content.decode()


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("contacts.xlsx", b"PK\x03\x04xl/workbook", "Please choose a .csv or .vcf file"),
        ("contacts.csv", b"%PDF-1.7 binary", "This looks like a PDF file"),
        ("contacts.csv", b"", "This file is empty"),
        ("contacts.csv", b"\r\n\r\n  \r\n", "This file is empty"),
        ("Connections.csv", fixture("broken_no_header.csv"), "We don&#x27;t recognise this file"),
        ("Connections.csv", fixture("linkedin_connections.csv"), "It looks like LinkedIn"),
    ],
)
def test_a_file_we_cannot_read_gets_a_clear_message_next_to_the_field(
    alice, alice_client, name, data, message
):
    Person.objects.create(owner=alice, name="Already here")
    fmt = "vcard" if message == "It looks like LinkedIn" else "auto"
    response = upload(alice_client, data, name, fmt)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="error-message"' in page and "There's something to fix" in page
    assert not ImportJob.objects.filter(owner=alice).exists()
    assert list(Person.objects.filter(owner=alice).values_list("name", flat=True)) == [
        "Already here"
    ]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("Connections.csv", fixture("broken_unclosed_quote.csv"), "never closed"),
        ("contacts.vcf", fixture("broken_no_end.vcf"), "no END:VCARD line"),
        ("contacts.vcf", fixture("broken_bad_base64.vcf"), "damaged (bad base64)"),
        (
            "Connections.csv",
            f"{HEADER}\r\nJane,Doe,https://www.linkedin.com/in/jane,,{'x' * 10_000_000},,\r\n"
            "Ahmed,Khan,https://www.linkedin.com/in/ahmed,,Globex,,\r\n".encode(),
            "longer than 10,000 characters",
        ),
    ],
)
def test_a_broken_row_is_skipped_with_its_reason_and_the_rest_imports(
    alice, alice_client, name, data, reason
):
    upload(alice_client, data, name)
    job = only_job(alice)
    preview = alice_client.get(reverse("network:import_preview", args=[job.pk]))
    assert preview.status_code == 200
    assert reason in preview.content.decode().replace("&quot;", '"')
    alice_client.post(reverse("network:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.created >= 1 and job.skipped >= 1
    assert Person.objects.filter(owner=alice).count() == job.created


def test_a_mixed_encoding_file_imports_with_its_accents(alice, alice_client):
    data = f"{HEADER}\r\nJosé,Núñez,https://www.linkedin.com/in/jose,,Café Ltd,,\r\n".encode()
    data += "Renée,Dupré,https://www.linkedin.com/in/renee,,Crème SA,,\r\n".encode("cp1252")
    upload(alice_client, data)
    job = only_job(alice)
    alice_client.post(reverse("network:import_confirm", args=[job.pk]))
    assert set(Person.objects.filter(owner=alice).values_list("name", flat=True)) == {
        "José Núñez",
        "Renée Dupré",
    }


def test_an_upload_without_a_file_asks_for_one(alice_client):
    response = alice_client.post(reverse("network:import_upload"), {"format": "auto"})
    assert response.status_code == 200
    assert "Choose the file you exported" in response.content.decode()


# --------------------------------------------------------------------------- access


def test_another_seeker_cannot_see_or_touch_alices_imports(alice, alice_client, charlie_client):
    upload(alice_client, fixture("linkedin_connections.csv"))
    job = only_job(alice)
    for name in ("import_detail", "import_preview", "import_progress"):
        assert charlie_client.get(reverse(f"network:{name}", args=[job.pk])).status_code == 404
    for name in ("import_confirm", "import_cancel"):
        assert charlie_client.post(reverse(f"network:{name}", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "preview"
    listing = charlie_client.get(reverse("network:import_upload")).content.decode()
    assert reverse("network:import_detail", args=[job.pk]) not in listing
    assert "You haven't imported anything yet" in listing


def test_anonymous_visitors_are_sent_to_log_in(client, alice):
    job = ImportJob.objects.create(
        owner=alice, filename="c.csv", format="linkedin", encoding="utf-8", data=b"x"
    )
    urls = [reverse("network:import_upload")] + [
        reverse(f"network:{name}", args=[job.pk])
        for name in ("import_detail", "import_preview", "import_progress")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    response = client.post(reverse("network:import_confirm", args=[job.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    job.refresh_from_db()
    assert job.status == "preview"


def test_changes_need_a_csrf_token(alice, csrf_client):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = upload(csrf_client, fixture("linkedin_connections.csv"))
    assert response.status_code == 403
    job = ImportJob.objects.create(
        owner=alice, filename="c.csv", format="linkedin", encoding="utf-8", data=b"x"
    )
    assert csrf_client.post(reverse("network:import_confirm", args=[job.pk])).status_code == 403
    assert not Person.objects.filter(owner=alice).exists()


def test_confirm_and_cancel_refuse_a_get(alice, alice_client):
    job = ImportJob.objects.create(
        owner=alice, filename="c.csv", format="linkedin", encoding="utf-8", data=b"x"
    )
    assert alice_client.get(reverse("network:import_confirm", args=[job.pk])).status_code == 405
    assert alice_client.get(reverse("network:import_cancel", args=[job.pk])).status_code == 405
