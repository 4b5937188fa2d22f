"""Staff single sign-on with OpenID Connect, against a provider running on a local port."""

from urllib.parse import urlparse

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from civicdesk.accounts.models import User
from civicdesk.privacy.models import AuditEntry
from tests.accounts.oidc_provider import Provider
from tests.factories import DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    with Provider() as p:
        for name, value in p.settings().items():
            setattr(settings, name, value)
        settings.CIVICDESK_REQUIRE_2FA = True  # the provider's sign-in stands for the second factor
        yield p


def sign_in(client, provider, claims, next_url="/console/inbox/"):
    """The whole round trip: CivicDesk → provider (the person signs in there) → CivicDesk."""
    provider.next_claims = claims
    start = client.get("/console/sso/", {"next": next_url})
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    assert back.path == "/console/sso/callback/"
    return client.get(f"{back.path}?{back.query}")


ANA = {"sub": "idp-0001", "email": "ana.ruiz@city.example", "email_verified": True, "given_name": "Ana",
       "family_name": "Ruiz", "preferred_username": "ana.ruiz",
       "groups": ["civicdesk-agents", "civicdesk-dept-streets", "civicdesk-dept-parks", "all-staff"]}


def test_groups_give_the_role_and_departments_and_the_console_opens(client, provider):
    streets, parks = DepartmentFactory(slug="streets"), DepartmentFactory(slug="parks")
    DepartmentFactory(slug="water")
    response = sign_in(client, provider, ANA)
    assert response.status_code == 302 and response["Location"] == "/console/inbox/"
    assert client.get("/console/inbox/").status_code == 200  # no second code asked: the provider did it
    user = User.objects.get(sso_subject="idp-0001")
    assert (user.username, user.role, user.first_name, user.is_staff) == ("ana.ruiz", "agent", "Ana", True)
    assert set(user.departments.all()) == {streets, parks}
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(action="sso_sign_in")
    assert entry.actor == user and "parks,streets" in entry.detail


def test_changed_groups_change_the_role_on_the_next_sign_in(client, provider):
    DepartmentFactory(slug="streets")
    sign_in(client, provider, ANA)
    client.post("/console/logout/")
    promoted = {**ANA, "groups": ["civicdesk-agents", "civicdesk-supervisors"]}
    sign_in(client, provider, promoted)
    user = User.objects.get(sso_subject="idp-0001")
    assert user.role == "supervisor" and not user.departments.exists()
    assert User.objects.count() == 1  # the same person, matched by the provider's subject ID


def test_someone_in_no_civicdesk_group_is_refused(client, provider):
    response = sign_in(client, provider, {**ANA, "groups": ["all-staff"]})
    assert response["Location"] == "/console/login/?sso=failed"
    assert "ask your administrator" in client.get(response["Location"]).content.decode()
    assert not User.objects.exists()
    assert client.get("/console/inbox/").status_code == 302


def test_leaving_the_groups_deactivates_the_account(client, provider):
    sign_in(client, provider, ANA)
    other = type(client)()
    response = sign_in(other, provider, {**ANA, "groups": []})
    assert response["Location"] == "/console/login/?sso=failed"
    user = User.objects.get(sso_subject="idp-0001")
    assert not user.is_active
    assert client.get("/console/inbox/").status_code == 302  # the earlier session ended too


def test_a_forged_or_foreign_token_is_refused(client, provider):
    provider.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert sign_in(client, provider, ANA)["Location"] == "/console/login/?sso=failed"
    provider.sign_with, provider.audience = None, "another-app"
    assert sign_in(client, provider, ANA)["Location"] == "/console/login/?sso=failed"
    assert not User.objects.exists()


def test_an_email_links_an_existing_account_only_when_verified(client, provider):
    local = StaffFactory(username="ana", email="ana.ruiz@city.example", role="agent")
    sign_in(client, provider, {**ANA, "email_verified": False})
    local.refresh_from_db()
    assert local.sso_subject == ""  # not linked: a new account was made for the subject instead
    assert User.objects.filter(sso_subject="idp-0001").exclude(pk=local.pk).exists()


def test_sign_in_button_only_when_configured(client, settings, provider):
    assert "Sign in with" in client.get("/console/login/").content.decode()
    settings.OIDC_RP_CLIENT_ID = ""
    assert "Sign in with" not in client.get("/console/login/").content.decode()
    assert client.get("/console/sso/").status_code == 404


def test_the_agency_can_still_ask_for_its_own_second_factor(client, settings, provider):
    settings.CIVICDESK_SSO_SATISFIES_2FA = False
    sign_in(client, provider, ANA)
    response = client.get("/console/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/console/2fa/setup/")
