"""Emails about residents' accounts."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from civicdesk.core import mail
from civicdesk.core.languages import AGENCY_NAME
from civicdesk.core.tasks import retrying_task

from .models import SignInToken


@retrying_task()
def send_sign_in_link(token_id: int, language: str) -> None:
    from .services import sign_in_token_for

    row = SignInToken.objects.select_related("resident").get(pk=token_id)
    resident = row.resident
    url = settings.SITE_URL + reverse("portal:signin_redeem", args=[sign_in_token_for(row)])
    context = {"url": url, "minutes": settings.CIVICDESK_SIGNIN_LINK_MINUTES,
               "agency_name": AGENCY_NAME}
    with translation.override(language):
        subject = mail.render_text("accounts/email/signin_subject.txt", context).strip()
        body = mail.render_text("accounts/email/signin.txt", context)
    mail.send(subject=subject, body=body, to=[resident.email], language=language)
