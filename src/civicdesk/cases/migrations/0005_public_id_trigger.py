"""The database numbers each request: a row inserted with a public ID that ends in "-" (the
year and a dash, which the application computes in the agency's time zone) gets its row ID
appended, zero-padded to six digits, in the same INSERT. The application then knows the
public ID without asking the database for the next ID first (cases.services._create_request).
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION cases_servicerequest_number() RETURNS trigger AS $$
    BEGIN
        IF right(NEW.public_id, 1) = '-' THEN
            NEW.public_id := NEW.public_id || CASE WHEN NEW.id < 1000000
                THEN lpad(NEW.id::text, 6, '0') ELSE NEW.id::text END;
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER cases_servicerequest_number BEFORE INSERT ON cases_servicerequest
    FOR EACH ROW EXECUTE FUNCTION cases_servicerequest_number()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_servicerequest_number ON cases_servicerequest",
    "DROP FUNCTION IF EXISTS cases_servicerequest_number()",
]
# SQLite cannot change a row in a BEFORE trigger; it updates it right after the insert.
SQLITE = [
    """
    CREATE TRIGGER cases_servicerequest_number AFTER INSERT ON cases_servicerequest
    FOR EACH ROW WHEN substr(NEW.public_id, -1) = '-'
    BEGIN
        UPDATE cases_servicerequest SET public_id = NEW.public_id || printf('%06d', NEW.id) WHERE id = NEW.id;
    END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS cases_servicerequest_number"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_status_index"),
    ]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
