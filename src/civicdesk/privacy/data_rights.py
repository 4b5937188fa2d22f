"""Residents' rights over their data: consent, export, erasure; and retention.

Erasure keeps the public record and removes the person: requests stay (public ID,
service, place, public timeline) with every contact field blanked and the resident's own
words replaced; conversations keep their shape with the resident's messages and
attachments removed; follower rows, sign-in tokens, sessions, consents, call notes and
the profile itself go. The decision is recorded on the ErasureRequest.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from civicdesk.accounts.models import Resident, SignInToken

from .models import AuditEntry, Consent, ErasureRequest, RetentionRule

Purpose = Consent.Purpose
REMOVED = "[removed at the resident's request]"


def current_consents(resident: Resident) -> dict[str, bool]:
    state: dict[str, bool] = {}
    for c in resident.consents.order_by("-recorded_at", "-id"):
        state.setdefault(c.purpose, c.granted)
    return state


def has_consent(resident: Resident | None, purpose: str, *, default: bool = False) -> bool:
    """The resident's latest decision for ``purpose``; ``default`` when they never decided."""
    if resident is None:
        return default
    latest = resident.consents.filter(purpose=purpose).order_by("-recorded_at", "-id").first()
    return default if latest is None else latest.granted


def record_consent(*, resident: Resident, purpose: str, granted: bool, wording: str, source: str,
                   by=None) -> Consent:
    return Consent.objects.create(resident=resident, purpose=purpose, granted=granted, wording=wording,
                                  source=source, recorded_by=by if by is not None and by.is_authenticated else None)


def export_data(resident: Resident) -> dict:
    """Everything held about the resident, as plain data (the JSON export and its HTML page)."""
    from civicdesk.conversations.models import Message

    requests = []
    for r in resident.requests.select_related("service").order_by("submitted_at"):
        requests.append({
            "public_id": r.public_id, "service": r.service.name, "status": r.status, "description": r.description,
            "answers": r.answers, "address": r.address, "lat": r.lat, "long": r.long,
            "contact": {"name": r.contact_name, "email": r.contact_email, "phone": r.contact_phone},
            "submitted_at": r.submitted_at.isoformat(),
            "timeline": [{"at": e.created_at.isoformat(), "kind": e.kind, "status": e.status_to, "message": e.message}
                         for e in r.events.filter(public=True).order_by("created_at", "id")],
        })
    conversations = []
    for c in resident.conversations.order_by("created_at"):
        conversations.append({
            "id": c.public_id, "channel": c.channel, "started_at": c.created_at.isoformat(), "state": c.state,
            "messages": [{"at": m.created_at.isoformat(), "from": m.sender, "text": m.body}
                         for m in c.messages.exclude(sender=Message.Sender.NOTE).order_by("seq")],
        })
    from .signals import exporting

    more = {}
    for _receiver, section in exporting.send(sender=None, resident=resident):
        more.update(section or {})
    return {
        "generated_at": timezone.now().isoformat(),
        "profile": {"first_name": resident.first_name, "last_name": resident.last_name, "email": resident.email,
                    "phone": resident.phone, "preferred_language": resident.preferred_language,
                    "preferred_channel": resident.preferred_channel, "created_at": resident.created_at.isoformat()},
        "consents": [{"purpose": c.purpose, "granted": c.granted, "wording": c.wording, "source": c.source,
                      "at": c.recorded_at.isoformat()} for c in resident.consents.order_by("recorded_at")],
        "requests": requests,
        "conversations": conversations,
        "survey_answers": _exported_surveys(resident),
        **more,
    }


def _exported_surveys(resident: Resident) -> list[dict]:
    out = []
    responses = (survey_responses(resident).select_related("survey", "request", "conversation")
                 .prefetch_related("answers__question").order_by("created_at"))
    for r in responses:
        out.append({
            "survey": r.survey.name, "at": r.created_at.isoformat(), "channel": r.channel,
            "request": r.request.public_id if r.request_id else None,
            "conversation": r.conversation.public_id if r.conversation_id else None,
            "answers": [{"question": a.question.text, "value": a.number, "text": a.text}
                        for a in sorted(r.answers.all(), key=lambda a: (a.question.order, a.question_id))],
            "comment": r.comment,
        })
    return out


def request_erasure(*, resident: Resident, reason: str = "") -> ErasureRequest:
    return ErasureRequest.objects.create(resident=resident, resident_ref=f"resident {resident.pk}", reason=reason[:2000])


@transaction.atomic
def decide_erasure(*, erasure: ErasureRequest, by, approve: bool, reason: str) -> ErasureRequest:
    from .services import record_access

    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.state != ErasureRequest.State.PENDING:
        return erasure
    if approve and erasure.resident_id:
        erase_resident(erasure.resident)
        erasure.resident = None
    erasure.state = ErasureRequest.State.APPROVED if approve else ErasureRequest.State.REFUSED
    erasure.decided_by, erasure.decided_at, erasure.decision_reason = by, timezone.now(), reason[:2000]
    erasure.save()
    record_access(actor=by, action="erasure_" + erasure.state, object_type="resident",
                  object_id=erasure.resident_ref.split()[-1], detail=reason)
    return erasure


def erase_resident(resident: Resident) -> None:
    from civicdesk.cases.models import Follower, ServiceRequest
    from civicdesk.conversations.models import CallLog, Conversation, Message

    emails = {e for e in [resident.email] if e}
    phones = {p for p in [resident.phone] if p}
    reqs = ServiceRequest.objects.filter(resident=resident)
    emails |= set(reqs.exclude(contact_email="").values_list("contact_email", flat=True))
    phones |= set(reqs.exclude(contact_phone="").values_list("contact_phone", flat=True))
    convs = Conversation.objects.filter(resident=resident)
    if emails:
        convs = convs | Conversation.objects.filter(contact_email__in=emails)
    if phones:
        convs = convs | Conversation.objects.filter(contact_phone__in=phones)
    # Fixed now: the querysets below would match nothing once the links are cut.
    reqs = ServiceRequest.objects.filter(pk__in=list(reqs.values_list("pk", flat=True)))
    convs = Conversation.objects.filter(pk__in=list(convs.values_list("pk", flat=True)))
    # The assistant's log of this resident's questions, and what it answered them.
    from civicdesk.assistant.models import Turn

    Turn.objects.filter(conversation__in=convs).update(question=REMOVED, answer="")
    _erase_survey_text(resident, reqs=reqs, convs=convs, emails=emails, phones=phones)
    reqs.update(contact_email="", contact_name="", contact_phone="", description=REMOVED, answers={},
                client_meta={}, resident=None)
    if emails:
        ServiceRequest.objects.filter(contact_email__in=emails).update(contact_email="", contact_name="",
                                                                       contact_phone="", description=REMOVED)
        Follower.objects.filter(email__in=emails).delete()
        from civicdesk.cases.models import Notification

        Notification.objects.filter(email__in=emails).delete()
    from civicdesk.integrations.models import IdempotencyRecord

    for rec in IdempotencyRecord.objects.only("id", "body").iterator():
        body = bytes(rec.body or b"")
        if any(e.encode() in body for e in emails) or any(p.encode() in body for p in phones):
            IdempotencyRecord.objects.filter(pk=rec.pk).delete()
    for msg in Message.objects.filter(conversation__in=convs, sender=Message.Sender.RESIDENT):
        if msg.attachment:
            msg.attachment.delete(save=False)
        if msg.file:
            msg.file.delete(save=False)
    Message.objects.filter(conversation__in=convs, sender=Message.Sender.RESIDENT).update(
        body=REMOVED, attachment="", author_label="")
    # Staff and system messages stay, with the resident's identifiers taken out of them.
    identifiers = [i for i in {resident.full_name, resident.first_name, resident.last_name, *emails, *phones}
                   if i and len(i) > 2]
    pattern = re.compile("|".join(re.escape(i) for i in sorted(identifiers, key=len, reverse=True)), re.I)
    for msg in Message.objects.filter(conversation__in=convs).exclude(sender=Message.Sender.RESIDENT):
        if identifiers and pattern.search(msg.body):
            Message.objects.filter(pk=msg.pk).update(body=pattern.sub("[removed]", msg.body))
    Message.objects.filter(conversation__in=convs).exclude(file="").update(file="", file_name="")
    convs.update(contact_email="", contact_name="", contact_phone="", subject="", email_thread_id="", resident=None)
    CallLog.objects.filter(resident=resident).delete()
    from .signals import erasing

    erasing.send(sender=None, resident=resident, emails=emails, phones=phones)
    SignInToken.objects.filter(resident=resident).delete()
    _drop_sessions(resident.pk)
    resident.delete()


def survey_responses(resident: Resident, *, reqs=None, convs=None, emails=()):
    """Survey responses that belong to the resident: by their invitation, request or chat."""
    from django.db.models import Q

    from civicdesk.surveys.models import Response

    reqs = reqs if reqs is not None else resident.requests.all()
    convs = convs if convs is not None else resident.conversations.all()
    q = Q(invitation__resident=resident) | Q(request__in=reqs) | Q(conversation__in=convs)
    if emails:
        q |= Q(invitation__email__in=list(emails))
    return Response.objects.filter(q).distinct()


def _erase_survey_text(resident: Resident, *, reqs, convs, emails, phones) -> None:
    from civicdesk.surveys.models import Answer, Invitation, Response

    ids = list(survey_responses(resident, reqs=reqs, convs=convs, emails=emails).values_list("pk", flat=True))
    Answer.objects.filter(response_id__in=ids).update(text="")  # scores stay, anonymous, for the figures
    Response.objects.filter(pk__in=ids).update(comment="")
    invitations = Invitation.objects.filter(resident=resident)
    if emails:
        invitations = invitations | Invitation.objects.filter(email__in=list(emails))
    if phones:
        invitations = invitations | Invitation.objects.filter(phone__in=list(phones))
    invitations.update(resident=None, email="", phone="")


def _drop_sessions(resident_id: int) -> None:
    from civicdesk.accounts.middleware import SESSION_KEY

    for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if s.get_decoded().get(SESSION_KEY) == resident_id:
            s.delete()


def apply_retention(*, dry_run: bool = False, now=None) -> dict[str, int]:
    """Apply every retention rule; return how many records each touched (or would)."""
    from civicdesk.cases.models import OPEN_STATUSES, RequestPhoto, ServiceRequest
    from civicdesk.conversations.models import Conversation, Message

    now = now or timezone.now()
    report: dict[str, int] = {}
    for rule in RetentionRule.objects.all():
        cutoff = now - timedelta(days=rule.days)
        if rule.kind == RetentionRule.Kind.CHAT_TRANSCRIPTS:
            qs = Message.objects.filter(conversation__state=Conversation.State.CLOSED,
                                        conversation__closed_at__lt=cutoff).exclude(body="[removed by retention]")
            report[rule.kind] = qs.count()
            if not dry_run:
                qs.update(body="[removed by retention]", attachment="", file="")
        elif rule.kind == RetentionRule.Kind.REQUEST_CONTACTS:
            qs = (ServiceRequest.objects.exclude(status__in=OPEN_STATUSES).filter(updated_at__lt=cutoff)
                  .exclude(contact_email="", contact_name="", contact_phone=""))
            report[rule.kind] = qs.count()
            if not dry_run:
                qs.update(contact_email="", contact_name="", contact_phone="")
        elif rule.kind == RetentionRule.Kind.ATTACHMENTS:
            photos = RequestPhoto.objects.filter(created_at__lt=cutoff)
            report[rule.kind] = photos.count()
            if not dry_run:
                for p in photos:
                    p.image.delete(save=False)
                photos.delete()
        elif rule.kind == RetentionRule.Kind.ACCESS_LOGS:
            qs = AuditEntry.objects.filter(at__lt=cutoff)
            report[rule.kind] = qs.count()
            if not dry_run:
                qs._raw_delete(qs.db)  # the oldest links of the chain go; the rest still verifies
        elif rule.kind == RetentionRule.Kind.ASSISTANT_LOGS:
            from civicdesk.assistant.models import Turn

            qs = Turn.objects.filter(created_at__lt=cutoff)
            report[rule.kind] = qs.count()
            if not dry_run:
                qs.delete()
        elif rule.kind == RetentionRule.Kind.FEEDBACK_TEXT:
            from civicdesk.knowledge.models import ArticleFeedback
            from civicdesk.surveys.models import Answer, Response

            responses = Response.objects.filter(created_at__lt=cutoff).exclude(comment="")
            answers = Answer.objects.filter(response__created_at__lt=cutoff).exclude(text="")
            feedback = ArticleFeedback.objects.filter(created_at__lt=cutoff).exclude(comment="")
            report[rule.kind] = responses.count() + answers.count() + feedback.count()
            if not dry_run:  # the scores stay for the figures; only the words go
                answers.update(text="")
                responses.update(comment="")
                feedback.update(comment="")
        elif rule.kind == RetentionRule.Kind.WEBHOOK_DELIVERIES:
            from civicdesk.integrations.models import WebhookDelivery

            qs = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(state=WebhookDelivery.State.PENDING)
            report[rule.kind] = qs.count()
            if not dry_run:
                qs.delete()
        elif rule.kind == RetentionRule.Kind.ARTICLE_REVISIONS:
            from django.db.models import Max

            from civicdesk.knowledge.models import ArticleRevision

            latest = ArticleRevision.objects.values("article").annotate(last=Max("number"))
            keep = {(row["article"], row["last"]) for row in latest}
            old = [(pk, a, n) for pk, a, n in ArticleRevision.objects.filter(created_at__lt=cutoff)
                   .values_list("pk", "article_id", "number") if (a, n) not in keep]
            report[rule.kind] = len(old)
            if not dry_run:  # every article keeps its latest revision, however old
                ArticleRevision.objects.filter(pk__in=[pk for pk, _a, _n in old]).delete()
    # Housekeeping, whatever the rules: stored API responses (idempotency) are needed for
    # retries only, so they go after a day.
    from civicdesk.integrations.models import IdempotencyRecord

    stale = IdempotencyRecord.objects.filter(created_at__lt=now - timedelta(days=1))
    report["idempotency_records"] = stale.count()
    if not dry_run:
        stale.delete()
    return report
