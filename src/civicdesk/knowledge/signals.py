"""Keep the search index in step with articles and services."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from civicdesk.catalog.models import Service

from . import indexing
from .models import Article, Synonym


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, raw=False, **kwargs):
    if not raw:
        indexing.index_article(instance)


@receiver([post_save, post_delete], sender=Article._parler_meta.root_model)
def article_text_saved(sender, instance, raw=False, **kwargs):
    """Its title, summary or body in one language (django-parler's translation row)."""
    article = Article.objects.filter(pk=instance.master_id).first()
    if not raw and article is not None:
        indexing.index_article(article)


@receiver(m2m_changed, sender=Article.services.through)
def article_services_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Article):
        indexing.index_article(instance)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance: Article, **kwargs):
    indexing.unindex("article", instance.pk)


@receiver(post_save, sender=Service)
def service_saved(sender, instance: Service, raw=False, **kwargs):
    if not raw:
        indexing.index_service(instance)


@receiver([post_save, post_delete], sender=Service._parler_meta.root_model)
def service_text_saved(sender, instance, raw=False, **kwargs):
    """Its name, description or group in one language (django-parler's translation row)."""
    service = Service.objects.filter(pk=instance.master_id).first()
    if not raw and service is not None:
        indexing.index_service(service)


@receiver(post_delete, sender=Service)
def service_deleted(sender, instance: Service, **kwargs):
    indexing.unindex("service", instance.pk)


@receiver([post_save, post_delete], sender=Synonym)
def synonyms_changed(sender, **kwargs):
    indexing.changed()
