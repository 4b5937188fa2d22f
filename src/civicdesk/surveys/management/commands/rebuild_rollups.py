from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from civicdesk.surveys.rollups import rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's daily rollups for the last N days (backfill; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=400)

    def handle(self, *args, **opts):
        today = timezone.localdate()
        rows = rebuild(today - timedelta(days=opts["days"] - 1), today)
        self.stdout.write(f"Rebuilt {rows} rollup rows for the last {opts['days']} days.")
