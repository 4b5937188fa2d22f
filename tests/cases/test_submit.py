"""Submitting a service request: validation, idempotency, IDs, SLA and access links."""

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from civicdesk.cases import services
from civicdesk.cases.models import ServiceRequest, Status, TimelineEvent
from tests.factories import QuestionFactory, ResidentFactory
from tests.helpers import submit

pytestmark = pytest.mark.django_db


def test_submit_gives_human_friendly_public_id_and_submitted_event(service):
    req = submit(service)
    assert re.fullmatch(r"\d{4}-\d{6}", req.public_id)
    assert req.status == Status.SUBMITTED
    assert req.department == service.department
    event = req.events.get()
    assert event.kind == TimelineEvent.Kind.SUBMITTED and event.public


def test_public_id_is_the_year_and_the_row_number_as_stored(service):
    """The database writes the number into the public ID in the same INSERT (migration
    cases/0005); what the code returns is what a lookup finds."""
    first, second = submit(service), submit(service)
    for req in (first, second):
        stored = ServiceRequest.objects.values_list("public_id", flat=True).get(pk=req.pk)
        assert stored == req.public_id == f"{req.submitted_at.year}-{req.pk:06d}"
    assert ServiceRequest.objects.get(public_id=second.public_id) == second


def test_public_id_year_is_the_agencys_and_numbers_grow_past_six_digits(service, settings):
    settings.TIME_ZONE = "America/Chicago"
    new_year_eve = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("America/Chicago"))  # 2027 in UTC
    req = submit(service, submitted_at=new_year_eve)
    assert req.public_id.startswith("2026-")
    ServiceRequest.objects.filter(pk=req.pk).delete()
    big = ServiceRequest.objects.create(pk=1234567, public_id="2026-", service=service,
                                        department=service.department, submitted_at=new_year_eve)
    assert ServiceRequest.objects.values_list("public_id", flat=True).get(pk=big.pk) == "2026-1234567"


def test_retry_with_same_submission_key_returns_first_request(service):
    key = uuid.uuid4().hex
    first = submit(service, key=key)
    again = services.submit_request(service=service, location=services.clean_location(lat=1, long=1),
                                    submission_key=key, description="different")
    assert again.created is False
    assert again.request.pk == first.pk
    assert ServiceRequest.objects.count() == 1


def test_location_needs_point_or_address():
    with pytest.raises(ValidationError) as e:
        services.clean_location(lat="", long="", address="")
    assert "location" in e.value.message_dict
    assert services.clean_location(lat="", long="", address="12 Main St").address == "12 Main St"


@pytest.mark.parametrize("lat,long", [("91", "0"), ("0", "181"), ("abc", "1"), ("1", "")])
def test_bad_coordinates_are_refused(lat, long):
    with pytest.raises(ValidationError):
        services.clean_location(lat=lat, long=long)


def test_required_question_must_be_answered(service):
    QuestionFactory(service=service, code="size", datatype="singlevaluelist", required=True,
                    values=[{"key": "small", "name": "Small"}, {"key": "big", "name": "Big"}])
    with pytest.raises(ValidationError) as e:
        services.clean_answers(service=service, raw={})
    assert e.value.message_dict == {"size": ["This question needs an answer."]}
    assert services.clean_answers(service=service, raw={"size": "big"}) == {"size": "big"}


@pytest.mark.parametrize("datatype,value,ok", [
    ("number", "3", 3), ("number", "2.5", 2.5), ("number", "three", None), ("number", "NaN", None),
    ("datetime", "2026-05-31T14:30", "2026-05-31T14:30:00-05:00"), ("datetime", "yesterday", None),
    ("string", "x" * 255, "x" * 255), ("string", "x" * 256, None), ("text", "long " * 10, ("long " * 10).strip()),
])
def test_answers_are_validated_by_datatype(service, datatype, value, ok):
    QuestionFactory(service=service, code="a", datatype=datatype)
    if ok is None:
        with pytest.raises(ValidationError) as e:
            services.clean_answers(service=service, raw={"a": value})
        assert "a" in e.value.message_dict
    else:
        assert services.clean_answers(service=service, raw={"a": value}) == {"a": ok}


def test_list_answers_must_be_among_the_values(service):
    values = [{"key": "dog", "name": "Dog"}, {"key": "cat", "name": "Cat"}]
    QuestionFactory(service=service, code="one", datatype="singlevaluelist", values=values)
    QuestionFactory(service=service, code="many", datatype="multivaluelist", values=values)
    assert services.clean_answers(service=service, raw={"one": "cat", "many": ["dog", "cat"]}) == {
        "one": "cat", "many": ["dog", "cat"]}
    with pytest.raises(ValidationError) as e:
        services.clean_answers(service=service, raw={"one": "cow", "many": ["dog", "bird"]})
    assert set(e.value.message_dict) == {"one", "many"}


def test_spanish_error_messages(service):
    from django.utils import translation

    QuestionFactory(service=service, code="n", datatype="number")
    with translation.override("es"), pytest.raises(ValidationError) as e:
        services.clean_answers(service=service, raw={"n": "tres"})
    assert e.value.message_dict["n"] == ["Escriba un número, por ejemplo 3 o 2.5."]


def test_inactive_service_refuses_requests(service):
    service.active = False
    service.save()
    with pytest.raises(ValidationError):
        submit(service)


def test_sla_due_counts_business_hours_of_the_department(service):
    # Friday 16:00 Chicago + 16 business hours (8-17, Mon-Fri): 1 Fri + 9 Mon + 6 Tue -> Tuesday 14:00.
    chicago = ZoneInfo("America/Chicago")
    submitted = datetime(2026, 3, 6, 16, 0, tzinfo=chicago)
    req = submit(service, submitted_at=submitted)
    assert req.sla_due_at.astimezone(chicago) == datetime(2026, 3, 10, 14, 0, tzinfo=chicago)


def test_contact_email_is_linked_once_confirmed_and_is_validated(service):
    req = submit(service, email="Ana@Example.org")
    assert req.contact_email == "ana@example.org" and req.resident is None
    assert not services.confirm_contact(request=req, token="0" * 32)
    assert services.confirm_contact(request=req, token=services.contact_token_for(req))
    req.refresh_from_db()
    assert req.resident.email == "ana@example.org" and req.contact_confirmed
    with pytest.raises(ValidationError) as e:
        services.clean_contact(email="not-an-email")
    assert "email" in e.value.message_dict


def test_signed_in_resident_owns_request(service):
    resident = ResidentFactory()
    req = submit(service, resident=resident)
    assert req.resident == resident and req.contact_email == resident.email


def test_access_token_is_secret_per_request(service):
    a, b = submit(service), submit(service)
    token = services.access_token_for(a)
    assert services.check_access_token(a, token)
    assert not services.check_access_token(b, token)
    assert not services.check_access_token(a, "")
