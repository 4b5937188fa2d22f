from django.core.management.base import BaseCommand, CommandError

from civicdesk.accounts.models import Role
from civicdesk.catalog.models import Department
from civicdesk.integrations.services import issue_key


class Command(BaseCommand):
    help = "Issue an API key for an application; prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The application, for example 'Public Works work orders'.")
        parser.add_argument("--role", choices=Role.values, default=Role.AGENT)
        parser.add_argument("--department", action="append", default=[], help="Department slug (repeatable).")
        parser.add_argument("--all-departments", action="store_true")
        parser.add_argument("--open311-only", action="store_true", help="May only file requests via Open311.")
        parser.add_argument("--rate", type=int, default=600, help="Requests per minute.")

    def handle(self, *args, **opts):
        departments = list(Department.objects.filter(slug__in=opts["department"]))
        missing = set(opts["department"]) - {d.slug for d in departments}
        if missing:
            raise CommandError(f"Unknown department(s): {', '.join(sorted(missing))}")
        key, raw = issue_key(name=opts["name"], role=opts["role"], departments=departments,
                             all_departments=opts["all_departments"], open311_only=opts["open311_only"],
                             rate_per_minute=opts["rate"])
        self.stdout.write(f"API key for {key.name} (account {key.user.username}):\n{raw}\nIt is not stored; keep it now.")
