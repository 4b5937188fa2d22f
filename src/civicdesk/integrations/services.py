"""Issuing and revoking API keys."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from civicdesk.accounts.models import Role, User
from civicdesk.catalog.models import Department

from .models import ApiKey, hash_key


def issue_key(*, name: str, role: str = Role.AGENT, departments: list[Department] | None = None,
              all_departments: bool = False, open311_only: bool = False, rate_per_minute: int = 600,
              created_by: User | None = None, user: User | None = None) -> tuple[ApiKey, str]:
    """Create a key (and its integration account unless ``user`` is given); return the key
    and its secret, which is shown this once and never stored."""
    raw = ApiKey.new_raw_key()
    with transaction.atomic():
        if user is None:
            user = User.objects.create(
                username=f"api-{name.lower().replace(' ', '-')[:40]}-{raw[4:10].lower()}",
                first_name=name[:150], is_staff=True, role=role, all_departments=all_departments)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            if departments:
                user.departments.set(departments)
        key = ApiKey.objects.create(name=name, user=user, prefix=raw[:10], key_hash=hash_key(raw),
                                    open311_only=open311_only, rate_per_minute=rate_per_minute,
                                    created_by=created_by)
    return key, raw


def revoke_key(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
