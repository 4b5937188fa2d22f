"""A request's contact email is confirmed before it links to an account or gets updates.

Requests filed before this change were linked and emailed at once; they count as confirmed.
The column is nullable with no default, so SQLite adds it in place (no table rebuild, the
public-ID trigger of 0005 stays).
"""

from django.db import migrations, models
from django.db.models import F


def grandfather(apps, schema_editor):
    ServiceRequest = apps.get_model("cases", "ServiceRequest")
    ServiceRequest.objects.exclude(contact_email="").filter(resident__isnull=False).update(
        contact_confirmed_at=F("submitted_at"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_fewer_indexes")]

    operations = [
        migrations.AddField(
            model_name="servicerequest", name="contact_confirmed_at",
            field=models.DateTimeField(blank=True, null=True)),
        migrations.RunPython(grandfather, migrations.RunPython.noop),
    ]
