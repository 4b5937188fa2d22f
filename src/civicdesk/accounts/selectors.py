"""Reads about staff accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import User


def people() -> QuerySet[User]:
    """Active staff who are people: the ones work can be given to. An integration account
    (the user an API key acts as) is staff so that the API applies the staff pages' rules,
    but nobody can hand it a request or a chat."""
    return User.objects.filter(is_active=True, is_staff=True).exclude(api_keys__isnull=False)


def is_person(user: User | None) -> bool:
    return user is not None and people().filter(pk=user.pk).exists()
