"""The clerk's console for public meetings: bodies and topics, meetings and their agendas
(items, PDF documents), comment moderation, the live meeting (current item, speaker queue),
registrations with their interpretation and accommodation requests, and minutes. Clerks
and administrators only; every change and every view of residents' details is audited."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicdesk.core.forms import TranslatedFieldsMixin
from civicdesk.meetings import selectors as meetings_selectors
from civicdesk.meetings import services as meetings
from civicdesk.meetings import streams
from civicdesk.meetings.models import (
    AgendaItem,
    Body,
    Comment,
    Document,
    Meeting,
    Registration,
    Speaker,
    Topic,
)
from civicdesk.privacy.services import client_ip, record_access

from .views import staff_required


def _clerk(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or user.role in ("clerk", "administrator")):
        raise Http404


def _pk(request: HttpRequest, name: str) -> int:
    """A row id posted by a form: a number, or 0 (finds nothing) for anything else."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else 0


def _audit(request: HttpRequest, action: str, obj, detail: str = "") -> None:
    record_access(actor=request.user, action=action, object_type=obj._meta.model_name, object_id=obj.pk,
                  ip=client_ip(request), detail=detail)


class BodyForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("name", "description")
    translated_widgets = {"description": lambda: forms.Textarea(attrs={"rows": 2})}

    class Meta:
        model = Body
        fields = ["slug", "kind", "order", "active"]
        widgets = {"slug": forms.TextInput(attrs={"class": "usa-input"}),
                   "kind": forms.Select(attrs={"class": "usa-select"}),
                   "order": forms.NumberInput(attrs={"class": "usa-input"})}


class TopicForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("name",)

    class Meta:
        model = Topic
        fields = ["slug"]
        widgets = {"slug": forms.TextInput(attrs={"class": "usa-input"})}


def _url_field(label):
    return forms.URLField(label=label, required=False, assume_scheme="https", max_length=200,
                          widget=forms.URLInput(attrs={"class": "usa-input"}))


class MeetingForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("title", "description")
    translated_widgets = {"description": lambda: forms.Textarea(attrs={"rows": 3})}
    stream_url = _url_field(Meeting._meta.get_field("stream_url").verbose_name)

    class Meta:
        model = Meeting
        fields = ["body", "starts_at", "ends_at", "mode", "place", "address", "lat", "long", "stream_url",
                  "stream_audience", "speakers_open"]
        widgets = {
            "body": forms.Select(attrs={"class": "usa-select"}),
            "starts_at": forms.DateTimeInput(attrs={"class": "usa-input", "type": "datetime-local"},
                                             format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"class": "usa-input", "type": "datetime-local"},
                                           format="%Y-%m-%dT%H:%M"),
            "mode": forms.Select(attrs={"class": "usa-select"}),
            "place": forms.TextInput(attrs={"class": "usa-input"}),
            "address": forms.TextInput(attrs={"class": "usa-input"}),
            "lat": forms.NumberInput(attrs={"class": "usa-input", "step": "any"}),
            "long": forms.NumberInput(attrs={"class": "usa-input", "step": "any"}),
            "stream_url": forms.URLInput(attrs={"class": "usa-input"}),
            "stream_audience": forms.Select(attrs={"class": "usa-select"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.prefetch_related("translations")
        names = ", ".join(streams.allowed_names()) or _("none")
        self.fields["stream_url"].help_text = _("Embedded on the meeting's page from: %(names)s. Any other "
                                                "address is shown as a link.") % {"names": names}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        mode = data.get("mode")
        if mode in (Meeting.Mode.IN_PERSON, Meeting.Mode.HYBRID) and not (data.get("place") or "").strip():
            self.add_error("place", _("Say where the meeting is held."))
        if mode == Meeting.Mode.ONLINE and not data.get("stream_url"):
            self.add_error("stream_url", _("An online meeting needs its stream or meeting link."))
        if (data.get("lat") is None) != (data.get("long") is None):
            self.add_error("long", _("Give both the latitude and the longitude, or neither."))
        for field, low, high in (("lat", -90, 90), ("long", -180, 180)):
            value = data.get(field)
            if value is not None and not low <= value <= high:
                self.add_error(field, _("Between %(low)s and %(high)s.") % {"low": low, "high": high})
        return data


class ItemForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("title", "description", "decision")
    translated_widgets = {"description": lambda: forms.Textarea(attrs={"rows": 3}),
                          "decision": lambda: forms.Textarea(attrs={"rows": 2})}

    class Meta:
        model = AgendaItem
        fields = ["topic", "accepts_comments"]
        widgets = {"topic": forms.Select(attrs={"class": "usa-select"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.prefetch_related("translations")


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Document title"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"class": "usa-input"}))
    file = forms.FileField(label=gettext_lazy("PDF file"),
                           widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".pdf,application/pdf"}))


class MinutesForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("minutes",)
    translated_widgets = {"minutes": lambda: forms.Textarea(attrs={"rows": 10})}
    recording_url = _url_field(Meeting._meta.get_field("recording_url").verbose_name)

    class Meta:
        model = Meeting
        fields = ["recording_url", "attendance_in_room"]
        widgets = {"recording_url": forms.URLInput(attrs={"class": "usa-input"}),
                   "attendance_in_room": forms.NumberInput(attrs={"class": "usa-input"})}


# --- pages -------------------------------------------------------------------------------

@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    _clerk(request)
    forms_ = {"body": BodyForm(prefix="body"), "topic": TopicForm(prefix="topic")}
    added = {"body": _("Body added."), "topic": _("Topic added.")}
    kind = request.POST.get("kind_of", "") if request.method == "POST" else ""
    if kind in forms_:  # a new body or topic, from its form on this page
        forms_[kind] = type(forms_[kind])(request.POST, prefix=kind)
        if forms_[kind].is_valid():
            obj = forms_[kind].save()
            _audit(request, f"meeting_{kind}_create", obj, obj.slug)
            messages.success(request, added[kind])
            return redirect("console:meetings")
    body_form, topic_form = forms_["body"], forms_["topic"]
    rows = (Meeting.objects.select_related("body").prefetch_related("translations", "body__translations")
            .order_by("-starts_at"))
    pending = dict(Comment.objects.filter(state=Comment.State.PENDING).values("meeting")
                   .annotate(n=Count("pk")).values_list("meeting", "n"))
    meetings_rows = list(rows[:100])
    for m in meetings_rows:
        m.pending = pending.get(m.pk, 0)
    return render(request, "console/meetings.html", {
        "meetings": meetings_rows, "bodies": Body.objects.prefetch_related("translations"),
        "topics": meetings_selectors.topics(), "body_form": body_form, "topic_form": topic_form})


@staff_required
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _clerk(request)
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        changed = set(form.changed_data)
        created = meeting is None
        meeting = form.save()
        if created:
            _audit(request, "meeting_create", meeting)
        else:
            meetings.save_meeting(meeting, changed_fields=changed)
            _audit(request, "meeting_update", meeting, ",".join(sorted(changed))[:300])
        messages.success(request, _("Meeting saved."))
        return redirect("console:meeting", meeting.pk)
    items = list(meeting.items.prefetch_related("translations", "documents", "topic__translations")) if meeting else []
    return render(request, "console/meeting.html", {
        "meeting": meeting, "form": form, "items": items,
        "pending": meeting.comments.filter(state=Comment.State.PENDING).count() if meeting else 0})


@staff_required
@require_POST
def meeting_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Announce (publish), cancel, add an agenda item, move an item, delete an item."""
    _clerk(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    action = request.POST.get("action", "")
    if action == "announce":
        meetings.announce(meeting)
        messages.success(request, _("The meeting is public; the body's followers are told."))
    elif action == "cancel":
        try:
            meetings.cancel(meeting)
        except ValidationError as e:
            messages.error(request, e.messages[0])
            return redirect("console:meeting", meeting.pk)
        messages.success(request, _("The meeting is cancelled; everyone registered is told."))
    elif action == "add_item":
        item = meetings.add_item(meeting)
        item.save()
        item.set_current_language(settings.LANGUAGE_CODE)
        item.title = _("New item")
        item.save()
        _audit(request, "meeting_item_add", meeting, str(item.number))
        return redirect("console:meeting_item", meeting.pk, item.pk)
    elif action in ("up", "down", "delete"):
        item = get_object_or_404(AgendaItem, pk=_pk(request, "item"), meeting=meeting)
        if action == "delete":
            if item.comments.exists() or item.speakers.exists():
                messages.error(request, _("This item has comments or speakers; it cannot be deleted."))
                return redirect("console:meeting", meeting.pk)
            item.delete()
            meetings.publish_state(meeting)
        else:
            meetings.move_item(item, -1 if action == "up" else 1)
    else:
        messages.error(request, _("Choose what to do."))
        return redirect("console:meeting", meeting.pk)
    _audit(request, f"meeting_{action}", meeting)
    return redirect("console:meeting", meeting.pk)


@staff_required
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    _clerk(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting_id=pk)
    form = ItemForm(prefix="item", instance=item)
    upload = DocumentForm(prefix="doc")
    if request.method == "POST":
        if request.POST.get("kind_of") == "document":
            upload = DocumentForm(request.POST, request.FILES, prefix="doc")
            if upload.is_valid():
                f = upload.cleaned_data["file"]
                if f.size > settings.CIVICDESK_MAX_DOCUMENT_BYTES:
                    upload.add_error("file", _("The document is %(size)s MB; the limit is %(limit)s MB.") % {
                        "size": round(f.size / 2**20, 1), "limit": settings.CIVICDESK_MAX_DOCUMENT_BYTES // 2**20})
                else:
                    try:
                        doc = meetings.add_document(item, title=upload.cleaned_data["title"], name=f.name[:100],
                                                    raw=f.read())
                    except ValidationError as e:
                        upload.add_error("file", e.messages[0])
                    else:
                        _audit(request, "meeting_document_add", doc, doc.title[:100])
                        messages.success(request, _("Document added."))
                        return redirect("console:meeting_item", pk, item.pk)
        elif request.POST.get("kind_of") == "remove_document":
            doc = get_object_or_404(Document, pk=_pk(request, "document"), item=item)
            _audit(request, "meeting_document_remove", doc, doc.title[:100])
            doc.delete()
            return redirect("console:meeting_item", pk, item.pk)
        else:
            form = ItemForm(request.POST, prefix="item", instance=item)
            if form.is_valid():
                form.save()
                meetings.publish_state(item.meeting)
                _audit(request, "meeting_item_update", item.meeting, str(item.number))
                messages.success(request, _("Item saved."))
                return redirect("console:meeting", pk)
    return render(request, "console/meeting_item.html", {
        "meeting": item.meeting, "item": item, "form": form, "upload": upload,
        "documents": item.documents.all()})


@staff_required
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    _clerk(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST":
        comment = get_object_or_404(Comment, pk=_pk(request, "comment"), meeting=meeting)
        publish = request.POST.get("decision") == "publish"
        try:
            decided = meetings.moderate(comment, publish=publish, reason=request.POST.get("reason", ""),
                                        by=request.user)
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            if not decided:
                messages.info(request, _("This comment was already decided on; nothing changed."))
                return redirect("console:meeting_comments", pk)
            _audit(request, "meeting_comment_publish" if publish else "meeting_comment_reject", comment)
            messages.success(request, _("Comment published.") if publish else _("Comment not published; the writer is told why."))
        return redirect("console:meeting_comments", pk)
    state = request.GET.get("state", Comment.State.PENDING)
    if state not in Comment.State.values:
        state = Comment.State.PENDING
    rows = list(meeting.comments.filter(state=state).select_related("item").prefetch_related("item__translations"))
    _audit(request, "meeting_comments_view", meeting, state)
    return render(request, "console/meeting_comments.html", {
        "meeting": meeting, "comments": rows, "state": state, "states": Comment.State.choices})


@staff_required
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """The live meeting: start and end, the current item, the speakers' queue."""
    _clerk(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "start":
                meetings.start(meeting)
            elif action == "end":
                meetings.end(meeting)
            elif action == "item":
                item = get_object_or_404(AgendaItem, pk=_pk(request, "item"), meeting=meeting) if request.POST.get(
                    "item") else None
                meetings.set_item(meeting, item)
            elif action == "next":
                speaker = meetings.call_next(meeting, after=request.POST.get("after", "")[:20])
                if speaker is None:
                    messages.info(request, _("No one is waiting to speak."))
            elif action in ("done", "missed", "waiting"):
                speaker = get_object_or_404(Speaker, pk=_pk(request, "speaker"), meeting=meeting)
                meetings.mark_speaker(speaker, action)
            else:
                raise ValidationError(_("Choose what to do."))
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            _audit(request, f"meeting_live_{action}", meeting, request.POST.get("item", "") or request.POST.get("speaker", ""))
        return redirect("console:meeting_run", pk)
    meeting = Meeting.objects.select_related("current_item").get(pk=pk)
    speakers = list(meeting.speakers.select_related("item").prefetch_related("item__translations")
                    .order_by("number"))
    _audit(request, "meeting_speakers_view", meeting)
    return render(request, "console/meeting_run.html", {
        "meeting": meeting, "items": list(meeting.items.prefetch_related("translations")),
        "speakers": speakers, "next": meetings.next_speaker(meeting),
        "speaking": next((s for s in speakers if s.state == Speaker.State.SPEAKING), None)})


@staff_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    _clerk(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST":
        reg = get_object_or_404(Registration, pk=_pk(request, "registration"), meeting=meeting)
        from django.utils import timezone

        reg.needs_handled_at = timezone.now()
        reg.save(update_fields=["needs_handled_at"])
        _audit(request, "meeting_needs_handled", reg)
        return redirect("console:meeting_registrations", pk)
    rows = list(meeting.registrations.order_by("cancelled_at", "created_at"))
    _audit(request, "meeting_registrations_view", meeting, str(len(rows)))
    languages = dict(settings.LANGUAGES) | {"asl": _("American Sign Language")}
    for r in rows:
        r.interpretation_label = languages.get(r.interpretation, r.interpretation)
    return render(request, "console/meeting_registrations.html", {"meeting": meeting, "registrations": rows})


@staff_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    _clerk(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MinutesForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        _audit(request, "meeting_minutes_save", meeting)
        if request.POST.get("publish"):
            try:
                meetings.publish_minutes(Meeting.objects.get(pk=pk))
            except ValidationError as e:
                messages.error(request, e.messages[0])
                return redirect("console:meeting_minutes", pk)
            _audit(request, "meeting_minutes_publish", meeting)
            messages.success(request, _("The minutes are published on the meeting's page."))
        else:
            messages.success(request, _("Minutes saved."))
        return redirect("console:meeting_minutes", pk)
    return render(request, "console/meeting_minutes.html", {
        "meeting": meeting, "form": form, "items": list(meeting.items.prefetch_related("translations"))})
