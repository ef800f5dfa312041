"""Take your data with you: JSON, CSV or vCard downloads of everything the seeker owns."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpwanted.accounts.http import AuthedRequest
from helpwanted.elsewhere.exports import export_csv, export_json, export_vcard

# format: (builder, file name stem, extension, content type)
DOWNLOADS = {
    "json": (
        lambda owner: json.dumps(export_json(owner), ensure_ascii=False, indent=2) + "\n",
        "helpwanted-data",
        "json",
        "application/json",
    ),
    # The BOM lets Excel show accented names correctly; our own importer reads it too.
    "csv": (lambda owner: "\ufeff" + export_csv(owner), "helpwanted-people", "csv", "text/csv"),
    "vcard": (export_vcard, "helpwanted-people", "vcf", "text/vcard"),
}


@login_required
@require_GET
def export(request: AuthedRequest) -> HttpResponse:
    fmt = request.GET.get("format")
    if fmt is None:
        return render(request, "elsewhere/export.html")
    if fmt not in DOWNLOADS:
        error = "We can make a JSON, CSV or vCard file. Please pick one of the buttons below."
        return render(request, "elsewhere/export.html", {"error": error}, status=400)
    build, stem, extension, content_type = DOWNLOADS[fmt]
    response = HttpResponse(build(request.user), content_type=f"{content_type}; charset=utf-8")
    filename = f"{stem}-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
