"""Retrain the assistant when what it learns from changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from civicdesk.catalog.models import Service
from civicdesk.knowledge.models import Article, Synonym
from civicdesk.schedules.models import CollectionService, Notice, Zone

from . import brain
from .models import Example


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Article._parler_meta.root_model)
@receiver([post_save, post_delete], sender=Service)
@receiver([post_save, post_delete], sender=Service._parler_meta.root_model)
@receiver([post_save, post_delete], sender=CollectionService)
@receiver([post_save, post_delete], sender=CollectionService._parler_meta.root_model)
@receiver([post_save, post_delete], sender=Zone)
@receiver([post_save, post_delete], sender=Notice)
@receiver([post_save, post_delete], sender=Notice._parler_meta.root_model)
@receiver([post_save, post_delete], sender=Example)
@receiver([post_save, post_delete], sender=Synonym)
def knowledge_changed(sender, raw=False, **kwargs):
    if not raw:
        brain.changed()
