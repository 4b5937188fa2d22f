"""core/db.insert_with_child: a request and its first event written together, as one
statement on PostgreSQL, with what the ORM would have stored."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from civicdesk.cases import services
from civicdesk.cases.models import ServiceRequest, TimelineEvent
from civicdesk.core.db import insert_with_child
from tests.helpers import submit


def _request(service, **kw):
    fields = dict(public_id="2026-", service=service, department=service.department,
                  description="Deep pothole", answers={"size": "large", "count": 3},
                  lat=Decimal("41.878100"), long=Decimal("-87.629800"), address="1 Main St",
                  language="es", channel="web", submission_key=uuid.uuid4().hex)
    fields.update(kw)
    return ServiceRequest(**fields)


def _event():
    return TimelineEvent(kind=TimelineEvent.Kind.SUBMITTED, public=True, actor_label="Residente",
                         status_to="submitted")


@pytest.mark.django_db
def test_rows_are_stored_as_save_would_store_them(service):
    via_orm = _request(service)
    via_orm.save()
    req, event = _request(service), _event()
    insert_with_child(req, event, link="request", returning=("public_id",))
    assert req.pk and event.pk and event.request_id == req.pk
    assert req.public_id == f"2026-{req.pk:06d}"  # written by the trigger, read back
    skip = {"id", "public_id", "submission_key", "access_salt", "submitted_at", "updated_at"}
    stored, reference = ServiceRequest.objects.get(pk=req.pk), ServiceRequest.objects.get(pk=via_orm.pk)
    for field in ServiceRequest._meta.concrete_fields:
        if field.attname not in skip:
            assert getattr(stored, field.attname) == getattr(reference, field.attname), field.name
    assert stored.answers == {"size": "large", "count": 3}
    assert list(stored.events.values_list("kind", "actor_label", "status_to")) == [
        ("submitted", "Residente", "submitted")]


@pytest.mark.django_db(transaction=True)
def test_a_failed_insert_leaves_neither_row(service):
    first = _request(service)
    insert_with_child(first, _event(), link="request")
    again = _request(service, submission_key=first.submission_key)
    with pytest.raises(IntegrityError):
        insert_with_child(again, _event(), link="request")
    assert ServiceRequest.objects.count() == 1 and TimelineEvent.objects.count() == 1


@pytest.mark.django_db
def test_the_callers_transaction_survives_a_failed_insert(service):
    first = _request(service)
    insert_with_child(first, _event(), link="request")
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_with_child(_request(service, submission_key=first.submission_key), _event(), link="request")
        assert ServiceRequest.objects.count() == 1  # the transaction still answers


@pytest.mark.django_db(transaction=True)
def test_a_plain_submission_is_one_statement_on_postgresql(service):
    """No BEGIN/COMMIT round trips: the request and its event in one statement (the
    intake benchmark's path). SQLite keeps two inserts in a transaction."""
    with CaptureQueriesContext(connection) as queries:
        req = submit(service)
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0].startswith("WITH parent AS (INSERT")
    assert req.events.get().kind == TimelineEvent.Kind.SUBMITTED
    again = services.submit_request(service=service, location=services.clean_location(lat="41.88", long="-87.63"),
                                    submission_key=req.submission_key)
    assert not again.created and again.request == req and TimelineEvent.objects.count() == 1


def test_the_models_it_writes_have_no_signal_receivers():
    """The PostgreSQL path sends no pre_save/post_save: nothing may be listening."""
    for model in (ServiceRequest, TimelineEvent):
        assert not pre_save.has_listeners(model) and not post_save.has_listeners(model)
