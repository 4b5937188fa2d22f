from django.contrib.auth import views as auth_views
from django.urls import path

from civicdesk.accounts import sso
from civicdesk.core.ratelimit import limit_posts
from civicdesk.privacy import views as privacy_views

from . import (
    address_views,
    chat_views,
    cx_views,
    knowledge_views,
    meeting_views,
    schedule_views,
    survey_views,
    two_factor,
    views,
)

app_name = "console"

urlpatterns = [
    path("login/", limit_posts("signin", "CIVICDESK_RATE_SIGNIN_PER_MINUTE")(
        auth_views.LoginView.as_view(template_name="console/login.html")), name="login"),
    path("sso/", sso.start, name="sso"),
    path("sso/callback/", sso.callback, name="sso_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logout/everywhere/", views.sign_out_everywhere, name="logout_everywhere"),
    path("2fa/setup/", two_factor.setup, name="2fa_setup"),
    path("2fa/verify/", two_factor.verify, name="2fa_verify"),
    path("", views.request_list, name="requests"),
    path("requests/bulk/", views.bulk_change, name="bulk"),
    path("views/", views.save_view, name="save_view"),
    path("requests/<str:public_id>/", views.request_detail, name="request"),
    path("requests/<str:public_id>/status/", views.change_status, name="change_status"),
    path("requests/<str:public_id>/note/", views.add_note, name="add_note"),
    path("requests/<str:public_id>/assign/", views.assign, name="assign"),
    path("requests/<str:public_id>/moderate/", views.moderate, name="moderate"),
    path("inbox/", chat_views.inbox, name="inbox"),
    path("inbox/presence/", chat_views.presence, name="presence"),
    path("wall/", chat_views.wall, name="wall"),
    path("canned-responses/", chat_views.canned_responses, name="canned"),
    path("privacy/erasures/", privacy_views.erasure_queue, name="erasures"),
    path("privacy/audit/", privacy_views.audit_log, name="audit"),
    path("conversations/<str:public_id>/", chat_views.conversation, name="conversation"),
    path("conversations/<str:public_id>/take/", chat_views.take, name="take"),
    path("conversations/<str:public_id>/transfer/", chat_views.transfer, name="transfer"),
    path("conversations/<str:public_id>/close/", chat_views.close, name="close"),
    path("conversations/<str:public_id>/request/", chat_views.file_request, name="file_request"),
    path("residents/<int:resident_id>/calls/", chat_views.log_call, name="log_call"),
    path("residents/<int:resident_id>/consents/", privacy_views.staff_update_consents, name="resident_consents"),
    path("addresses/", address_views.register, name="addresses"),
    path("schedules/", schedule_views.zones, name="zones"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_edit, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_views.meeting_edit, name="meeting"),
    path("meetings/<int:pk>/action/", meeting_views.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/items/<int:item_pk>/", meeting_views.item_edit, name="meeting_item"),
    path("meetings/<int:pk>/comments/", meeting_views.comments, name="meeting_comments"),
    path("meetings/<int:pk>/run/", meeting_views.run, name="meeting_run"),
    path("meetings/<int:pk>/registrations/", meeting_views.registrations, name="meeting_registrations"),
    path("meetings/<int:pk>/minutes/", meeting_views.minutes, name="meeting_minutes"),
    path("cx/", cx_views.dashboard, name="cx"),
    path("surveys/", survey_views.surveys, name="surveys"),
    path("surveys/<int:pk>/", survey_views.survey_edit, name="survey_edit"),
    path("cx/responses/<int:pk>/follow-up/", cx_views.follow_up, name="cx_follow_up"),
    path("articles/", knowledge_views.articles, name="articles"),
    path("articles/new/", knowledge_views.article_edit, name="article_new"),
    path("articles/preview/", knowledge_views.article_preview, name="article_preview"),
    path("articles/<int:pk>/", knowledge_views.article_edit, name="article_edit"),
    path("articles/<int:pk>/restore/<int:number>/", knowledge_views.article_restore, name="article_restore"),
    path("assistant/", knowledge_views.assistant_review, name="assistant"),
    path("assistant/examples/", knowledge_views.assistant_example, name="assistant_example"),
    path("assistant/turns/<int:pk>/reviewed/", knowledge_views.assistant_reviewed, name="assistant_reviewed"),
]
