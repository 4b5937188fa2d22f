import json

from django.core.management.base import BaseCommand

from civicdesk.privacy.data_rights import apply_retention


class Command(BaseCommand):
    help = "Apply the retention rules now (--dry-run: only report what would change)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        report = apply_retention(dry_run=opts["dry_run"])
        self.stdout.write(json.dumps({"dry_run": opts["dry_run"], "records": report}))
