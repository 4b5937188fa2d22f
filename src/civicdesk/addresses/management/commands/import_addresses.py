"""Load the agency's address points (CSV or GeoJSON, OpenAddresses columns accepted), or
with --boundary its boundary polygon (GeoJSON). Prints progress and every rejected row."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicdesk.addresses import services
from civicdesk.addresses.models import ImportRun


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--boundary", action="store_true", help="the file is the boundary (GeoJSON polygon)")
        parser.add_argument("--replace", action="store_true", help="remove the addresses loaded before")

    def handle(self, path, boundary, replace, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        kind = ImportRun.Kind.BOUNDARY if boundary else ImportRun.Kind.ADDRESSES
        run = ImportRun.objects.create(kind=kind, file_name=file.name, replace=replace, by="command line")
        data = file.read_bytes()
        run = services.import_boundary(run, data) if boundary else services.import_addresses(run, data)
        if run.state == ImportRun.State.FAILED:
            raise CommandError(run.error)
        for r in run.rejects:
            self.stderr.write(f"row {r['row']}: {r['reason']} ({r['data']})")
        if run.rejected > len(run.rejects):
            self.stderr.write(f"... and {run.rejected - len(run.rejects)} more rejected rows")
        self.stdout.write(f"{file.name}: {run.imported} imported, {run.rejected} rejected")
