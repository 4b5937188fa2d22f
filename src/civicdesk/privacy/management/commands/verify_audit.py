import sys

from django.core.management.base import BaseCommand

from civicdesk.privacy.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; report the first broken link (exit status 1)."

    def handle(self, *args, **opts):
        report = verify_chain()
        if report.first_broken_id is None:
            self.stdout.write(f"Audit chain intact: {report.checked} entries checked.")
            return
        self.stderr.write(f"Audit chain BROKEN at entry {report.first_broken_id}: {report.reason} "
                          f"({report.checked} entries before it are intact).")
        sys.exit(1)
