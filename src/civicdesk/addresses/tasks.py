"""The register's imports run in the task worker; the upload page shows their progress."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from .models import ImportRun


@task()
def run_import(run_id: int) -> str:
    from . import services

    run = ImportRun.objects.get(pk=run_id)
    if run.state != ImportRun.State.QUEUED:
        return run.state  # a retried task: the import ran already
    data = Path(run.path).read_bytes()
    if run.kind == ImportRun.Kind.BOUNDARY:
        services.import_boundary(run, data)
    else:
        services.import_addresses(run, data)
    Path(run.path).unlink(missing_ok=True)
    return run.state
