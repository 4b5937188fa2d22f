from django.core.management.base import BaseCommand

from civicdesk.privacy.tasks import schedule_next


class Command(BaseCommand):
    help = "Make sure the daily retention and figures refresh tasks are queued (make demo runs this; idempotent)."

    def handle(self, *args, **opts):
        schedule_next()
        from civicdesk.surveys.tasks import schedule_refresh

        schedule_refresh()
        from civicdesk.schedules.reminders import schedule_next as schedule_reminders

        schedule_reminders()
        from civicdesk.alerts.tasks import schedule_digests

        schedule_digests()
        from civicdesk.cases.tasks import schedule_target_checks

        schedule_target_checks()
        self.stdout.write("Daily retention task, the figures refresh, the evening's "
                          "collection reminders, the morning's area alert digests and the target checks scheduled.")
