"""Targets about to be missed go up to the supervisors, before they are missed.

Every few minutes (`tasks.check_targets`, queued again by itself) the open requests due
within CIVICDESK_SLA_ESCALATE_HOURS, or late by less than a day, that have not been escalated for that
due date get an `Escalation`: an internal note on the timeline, a line on the supervisors'
work queue and an email to each supervisor of the department (once, across retries). A
request whose due date changes may be escalated again for the new one.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.accounts.selectors import people
from civicdesk.core.tasks import enqueue_on_commit

from .models import OPEN_STATUSES, Escalation, ServiceRequest, TimelineEvent


def supervisors_of(department):
    """Who hears about the department's requests about to be late."""
    return people().filter(role__in=["supervisor", "administrator"]).filter(
        Q(departments=department) | Q(all_departments=True) | Q(role="administrator")).exclude(email="").distinct()


def due_soon(now=None):
    """Open requests due within the warning time, or late by less than a day (missed while
    the workers were down, say); what was late before that (history imported with its old
    due dates) is the work queue's "overdue" list, not a flood of emails."""
    now = now or timezone.now()
    already = Escalation.objects.filter(request=OuterRef("pk"), due_at=OuterRef("sla_due_at"))
    return (ServiceRequest.objects.filter(status__in=OPEN_STATUSES, sla_due_at__gte=now - timedelta(days=1),
                                          sla_due_at__lte=now + timedelta(hours=settings.CIVICDESK_SLA_ESCALATE_HOURS))
            .exclude(Exists(already)).order_by("sla_due_at"))


def escalate_due(now=None, limit: int = 500) -> list[Escalation]:
    """Escalate what is due soon; returns the new escalations (the rest next time round)."""
    from .tasks import send_escalation

    made = []
    for req in due_soon(now).select_related("department")[:limit]:
        try:
            with transaction.atomic():
                esc = Escalation.objects.create(request=req, due_at=req.sla_due_at)
                event = TimelineEvent.objects.create(
                    request=req, kind=TimelineEvent.Kind.NOTE, public=False, actor_label="CivicDesk",
                    message=_("Escalated to the supervisors: the target (%(due)s) is about to be missed.")
                    % {"due": timezone.localtime(req.sla_due_at).strftime("%Y-%m-%d %H:%M")})
                enqueue_on_commit(send_escalation, event.pk)
        except IntegrityError:
            continue  # another worker escalated it at the same moment
        made.append(esc)
    return made


def open_escalations(user):
    """What the supervisor should look at now: escalated requests still open, in their
    departments."""
    from .selectors import requests_visible_to

    return (Escalation.objects.filter(handled_at__isnull=True, request__in=requests_visible_to(user)
                                      .filter(status__in=OPEN_STATUSES))
            .select_related("request__service", "request__assigned_to").order_by("due_at"))
