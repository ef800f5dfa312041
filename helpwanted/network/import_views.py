"""Importing contacts in the browser: upload, preview, confirm, then watch the progress."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.network.access import get_import_for_seeker
from helpwanted.network.imports import (
    ImportReport,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    report_for,
)
from helpwanted.network.models import ImportJob
from helpwanted.network.parsing import MAX_FILE_BYTES, ImportFileError

EXTENSIONS = (".csv", ".vcf", ".vcard", ".txt")
FORMATS = [
    ("auto", "Work it out for me"),
    ("linkedin", "LinkedIn connections (Connections.csv)"),
    ("linkedin-messages", "LinkedIn messages (messages.csv)"),
    ("google", "Google Contacts (CSV)"),
    ("vcard", "vCard (.vcf) from an iPhone, Outlook or another app"),
]
PAST_IMPORTS = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Your contacts file",
        help_text="A .csv or .vcf file, up to 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={
            "required": "Choose the file you exported, then press Continue.",
            "empty": "This file is empty. Please check you picked the file you exported.",
        },
    )
    format = forms.ChoiceField(label="What kind of file is it?", choices=FORMATS, initial="auto")

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(
                "This isn't a file we can read. Please choose a .csv or .vcf file, such as "
                "Connections.csv from LinkedIn or contacts.vcf from your phone."
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                "This file is larger than 20 MB. Please split it into smaller files and "
                "upload them one at a time."
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                owner=request.user,
                upload=form.cleaned_data["file"],
                fmt=form.cleaned_data["format"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("network:import_preview", job.pk)
    jobs = ImportJob.objects.filter(owner=request.user).defer("data", "preview", "errors")
    return render(
        request, "network/imports/upload.html", {"form": form, "jobs": jobs[:PAST_IMPORTS]}
    )


@login_required
@require_GET
def import_detail(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = get_import_for_seeker(request, job_id)
    if job.status == ImportJob.Status.PREVIEW:
        return redirect("network:import_preview", job.pk)
    return redirect("network:import_progress", job.pk)


@login_required
@require_GET
def import_preview(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = get_import_for_seeker(request, job_id)
    if job.status != ImportJob.Status.PREVIEW:
        return redirect("network:import_progress", job.pk)
    context = {
        "job": job,
        "report": ImportReport.from_json(job.preview),
        "background": job.total > settings.IMPORT_BACKGROUND_ROWS,
    }
    return render(request, "network/imports/preview.html", context)


@login_required
@require_POST
def import_confirm(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = import_job_confirm(job=get_import_for_seeker(request, job_id))
    if job.status == ImportJob.Status.DONE:
        messages.success(request, "Your import is done. Here's what changed.")
    return redirect("network:import_progress", job.pk)


@login_required
@require_POST
def import_cancel(request: AuthedRequest, job_id: int) -> HttpResponse:
    if import_job_cancel(job=get_import_for_seeker(request, job_id)):
        messages.success(request, "No problem. We didn't import anything from that file.")
    return redirect("network:import_upload")


@login_required
@require_GET
def import_progress(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = get_import_for_seeker(request, job_id)
    if job.status == ImportJob.Status.PREVIEW:
        return redirect("network:import_preview", job.pk)
    template = "network/imports/progress.html"
    context = {"job": job, "report": report_for(job)}
    return render(request, f"{template}#progress" if request.htmx else template, context)
