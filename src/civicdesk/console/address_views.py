"""Administrators load the address register and the boundary: upload, progress, and the
report of rejected rows. The import itself runs in the task worker (addresses/tasks.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicdesk.addresses import services as addresses
from civicdesk.addresses.models import AddressPoint, Boundary, ImportRun
from civicdesk.privacy.services import client_ip, record_access

from .views import staff_required

ALLOWED = {ImportRun.Kind.ADDRESSES: (".csv", ".geojson", ".json"), ImportRun.Kind.BOUNDARY: (".geojson", ".json")}


def _administrator(user) -> bool:
    return user.is_superuser or user.role == "administrator"


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    if not _administrator(request.user):
        raise Http404
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if kind not in ALLOWED:
            messages.error(request, _("Choose what the file holds: addresses or the boundary."))
        elif upload is None or upload.size == 0:
            messages.error(request, _("Choose a file to upload."))
        elif not upload.name.lower().endswith(ALLOWED[kind]):
            messages.error(request, _("“%(name)s” is not a %(types)s file.")
                           % {"name": upload.name[:80], "types": _(" or ").join(ALLOWED[kind])})
        elif upload.size > settings.CIVICDESK_MAX_REGISTER_UPLOAD_BYTES:
            messages.error(request, _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
                "size": round(upload.size / 1e6, 1), "limit": settings.CIVICDESK_MAX_REGISTER_UPLOAD_BYTES // 10**6})
        else:
            run = addresses.start_import(kind=kind, file_name=upload.name, data=upload.read(),
                                         replace=request.POST.get("replace") == "on", by=request.user.username)
            record_access(actor=request.user, action="address_import", object_type="import", object_id=run.pk,
                          ip=client_ip(request), detail=f"{kind}: {upload.name[:80]}")
            messages.success(request, _("Uploaded. The import runs in the background; this page shows its progress."))
        return redirect("console:addresses")
    runs = list(ImportRun.objects.all()[:10])
    return render(request, "console/addresses.html", {
        "runs": runs, "count": AddressPoint.objects.count(), "boundary": Boundary.objects.first(),
        "busy": any(r.state in (ImportRun.State.QUEUED, ImportRun.State.RUNNING) for r in runs)})
