"""A GIN index of each request's words for the console's search, on PostgreSQL only (SQLite
keeps a LIKE scan, fine at its sizes). The expression is cases.models.REQUEST_WORDS."""

from django.db import migrations

INDEX = "cases_sr_words"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_servicerequest "
            "USING gin (to_tsvector('simple', description || ' ' || address))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_work_queue")]

    operations = [migrations.RunPython(create, drop)]
