from django.db import models


class BenchRow(models.Model):
    """A one-column table the intake benchmark's bare view inserts into (bench/ only)."""

    created_at = models.DateTimeField(auto_now_add=True)
    payload = models.CharField(max_length=100, blank=True)
