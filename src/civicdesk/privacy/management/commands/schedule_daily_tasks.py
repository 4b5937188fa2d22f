from django.core.management.base import BaseCommand

from civicdesk.privacy.tasks import schedule_next


class Command(BaseCommand):
    help = "Make sure the daily retention task is queued (make demo runs this; idempotent)."

    def handle(self, *args, **opts):
        schedule_next()
        self.stdout.write("Daily retention task scheduled.")
