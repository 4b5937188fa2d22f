"""Seed the demo city of Riverton: departments, ~30 services, staff, residents and
a few hundred requests over the last six months with realistic timelines.

Runs once: if the catalog already has departments it does nothing (``--force`` to add
the history again). Historical notifications are not sent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from civicdesk.accounts.models import Resident, Role, User
from civicdesk.cases import services as case_services
from civicdesk.cases.models import ServiceRequest, Status
from civicdesk.catalog import demo_conversations, demo_reports
from civicdesk.catalog.demo_data import (
    BLOCK_ONLY_SERVICES,
    DANGER_NOTICE,
    DEPARTMENTS,
    EMERGENCY_NOTICES,
    MODERATED_SERVICES,
    ON_CALL,
    PRIVATE_SERVICES,
    SERVICES,
    STREETS,
    URGENT_TARGET_HOURS,
)
from civicdesk.catalog.models import (
    BusinessHours,
    Department,
    PriorityRule,
    Service,
    ServiceQuestion,
    Visibility,
)
from civicdesk.core.translation import localized, save_translations
from civicdesk.meetings import demo as meetings_demo
from civicdesk.schedules import demo as schedules_demo

DEMO_PASSWORD = "demo-pass-2026"

FIRST = ["Ana", "James", "María", "Robert", "Linh", "David", "Sofía", "Michael", "Aisha", "Carlos", "Emily", "Luis"]
LAST = ["García", "Smith", "Nguyen", "Johnson", "Hernández", "Brown", "Martínez", "Lee", "Davis", "López"]


def _words(texts: dict, language: str) -> list:
    """The texts in the language, or in English (the demo's words are English and Spanish)."""
    return texts.get(language) or texts["en"]


def describe(rng: random.Random, service_code: str, language: str, place: dict) -> tuple[str, dict]:
    """What a resident writes about this service, in their language, and the answers the
    words settle (the animal, the size, how many); sometimes nothing (it is optional)."""
    texts = demo_reports.DESCRIPTIONS.get(service_code)
    if not texts or rng.random() < demo_reports.BLANK_SHARE:
        return "", {}
    entry = rng.choice(_words(texts, language))
    text, answers = entry if isinstance(entry, tuple) else (entry, {})
    return text.format(**place), answers


def update_for(rng: random.Random, service: Service, status: str, language: str, place: dict) -> str:
    """The public update a crew writes when the request moves to ``status``: the service's
    own words, else the department's, else general ones; none on closing."""
    for texts in (demo_reports.SERVICE_UPDATES.get(service.service_code, {}).get(status),
                  demo_reports.DEPARTMENT_UPDATES.get(service.department.slug, {}).get(status),
                  demo_reports.GENERAL_UPDATES.get(status)):
        if texts:
            return rng.choice(_words(texts, language)).format(**place)
    return ""


def cross_streets(points) -> Callable[[object], str]:
    """For an address point, the nearest street crossing its own (the register is a grid:
    a street runs east-west or north-south)."""
    lines: dict[str, tuple[bool, float]] = {}
    for street in {p.street for p in points}:
        on = [p for p in points if p.street == street]
        lats, longs = [p.lat for p in on], [p.long for p in on]
        east_west = max(lats) - min(lats) < max(longs) - min(longs)
        lines[street] = (east_west, sum(lats if east_west else longs) / len(on))

    def cross(point) -> str:
        east_west = lines[point.street][0]
        where = point.long if east_west else point.lat
        others = [(abs(where - at), street) for street, (ew, at) in lines.items() if ew != east_west]
        return min(others)[1] if others else point.street
    return cross


class Command(BaseCommand):
    help = "Seed the demo city (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=400)
        parser.add_argument("--force", action="store_true")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **opts):
        if Department.objects.exists() and not opts["force"]:
            self._knowledge()
            self._more_languages()  # texts added since the city was seeded
            from civicdesk.surveys.services import ensure_built_in

            ensure_built_in()
            self._canned_responses()
            schedules_demo.load()
            from civicdesk.addresses import demo as addresses_demo

            addresses_demo.wards()
            meetings_demo.load()
            self._clerk()
            self.stdout.write("Demo city already seeded; texts brought up to date.")
            return
        rng = random.Random(opts["seed"])
        from civicdesk.addresses import demo as addresses_demo

        addresses_demo.load(STREETS)  # the register first: every demo request is at one of its addresses
        with transaction.atomic():
            depts = self._catalog()
            self._staff(depts)
            residents = self._residents(rng)
        self._history(rng, residents, opts["requests"])
        chats = self._conversations(rng, residents)
        self._calls(rng, residents)
        from django_tasks_db.models import DBTaskResult

        # The history is in the past: its notification emails are not to be sent now.
        DBTaskResult.objects.filter(status="READY").delete()
        self._api_key()
        self._knowledge()
        self._canned_responses()
        self._survey_answers(rng)
        schedules_demo.load()
        meetings_demo.load()
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {Department.objects.count()} departments, {Service.objects.count()} services, "
            f"{User.objects.count()} staff users, {opts['requests']} requests, {chats} conversations."))

    def _survey_answers(self, rng: random.Random) -> None:
        """A-11 answers for about 40% of resolved requests, a little better where requests
        were resolved fast, and departments apart, so the dashboard has something to show.
        A comment now and then, in the filer's language, that fits the department and the
        scores; each response has its answers, as the survey page stores them."""
        from civicdesk.surveys.models import Answer, Response, Survey
        from civicdesk.surveys.services import ensure_built_in

        ensure_built_in()
        survey = Survey.objects.get(slug="a11-cx")
        questions = {q.measure: q for q in survey.questions.all()}
        slugs = dict(Department.objects.values_list("pk", "slug"))
        bias = {pk: rng.uniform(-0.8, 0.6) for pk in slugs}
        now = timezone.now()
        rows = []
        for req in ServiceRequest.objects.filter(resolved_at__isnull=False).order_by("pk"):
            if rng.random() > 0.4:
                continue
            days = (req.resolved_at - req.submitted_at).total_seconds() / 86400
            base = 4.3 - min(days, 10) * 0.15 + bias[req.department_id]

            def score(base=base):
                return max(1, min(5, round(rng.gauss(base, 0.9))))
            sat, ease = score(), score()
            comment = self._comment(rng, slugs[req.department_id], sat, req.language) if rng.random() < 0.3 else ""
            rows.append(Response(
                survey=survey, request=req, department_id=req.department_id, service_id=req.service_id,
                agent_id=req.assigned_to_id, channel=req.channel, language=req.language, complete=True,
                created_at=min(now, req.resolved_at + timedelta(hours=rng.uniform(1, 48))),
                satisfaction=sat, trust=max(1, min(5, round((sat + ease) / 2 + rng.gauss(0, 0.6)))),
                effectiveness=score(), ease=ease, efficiency=score(), transparency=score(),
                helpfulness=score(), equity=score(), comment=comment))
        Response.objects.bulk_create(rows)
        answers = []
        for response in rows:
            if response.pk is None:  # a database that does not return the new rows' IDs
                break
            for measure, q in questions.items():
                value = response.comment if measure == "comment" else getattr(response, measure, None)
                if value:
                    answers.append(Answer(response=response, question=q, number=value if isinstance(value, int) else None,
                                          text=value if isinstance(value, str) else ""))
        Answer.objects.bulk_create(answers)
        from civicdesk.surveys.rollups import rebuild

        rebuild(timezone.localdate() - timedelta(days=200), timezone.localdate())

    @staticmethod
    def _comment(rng: random.Random, department: str, satisfaction: int, language: str) -> str:
        mood = "good" if satisfaction >= 4 else "bad" if satisfaction <= 2 else "mixed"
        texts = (demo_reports.SURVEY_COMMENTS.get(department, {}).get(mood)
                 or demo_reports.SURVEY_COMMENTS[""][mood])
        return rng.choice(_words(texts, language))

    def _knowledge(self) -> None:
        from civicdesk.knowledge.demo import seed_knowledge

        added = seed_knowledge(editor=User.objects.filter(username="supervisor").first())
        if added:
            self.stdout.write(f"Added {added} help articles (English and Spanish).")

    def _api_key(self) -> None:
        """A supervisor-level API key for trying the APIs, written to var/demo_api_key."""
        from django.conf import settings

        from civicdesk.accounts.models import Role
        from civicdesk.integrations.services import issue_key

        _key, raw = issue_key(name="Demo integration", role=Role.SUPERVISOR, all_departments=True)
        (settings.VAR_DIR / "demo_api_key").write_text(raw + "\n")

    def _catalog(self) -> dict[str, Department]:
        depts = {}
        for slug, name, name_es, email, phone in DEPARTMENTS:
            d, created = Department.objects.get_or_create(slug=slug, defaults={
                "email": email, "phone": phone, "address": "100 City Hall Plaza, Riverton",
                "timezone": "America/Chicago"})
            if created:
                save_translations(d, {"en": {"name": name}, "es": {"name": name_es}})
            if not d.hours.exists():
                for weekday in range(5):
                    BusinessHours.objects.create(department=d, weekday=weekday, opens=time(8), closes=time(17))
            depts[slug] = d
        for (code, dept, name, name_es, group, group_es, sla, keywords, desc, desc_es, questions) in SERVICES:
            s, created = Service.objects.get_or_create(service_code=code, defaults={
                "department": depts[dept], "sla_hours": sla, "keywords": keywords})
            hazard = any(q[0] == "hazard" for q in questions)
            notice = EMERGENCY_NOTICES.get(code) or (DANGER_NOTICE if hazard else ("", ""))
            if created:
                save_translations(s, {
                    "en": {"name": name, "description": desc, "group": group, "emergency_notice": notice[0]},
                    "es": {"name": name_es, "description": desc_es, "group": group_es, "emergency_notice": notice[1]}})
            elif (localized(s, "emergency_notice", "en"), localized(s, "emergency_notice", "es")) != notice:
                save_translations(s, {"en": {"emergency_notice": notice[0]}, "es": {"emergency_notice": notice[1]}})
            visibility = Visibility.PRIVATE if code in PRIVATE_SERVICES else Visibility.PUBLIC
            wanted = (visibility, code in BLOCK_ONLY_SERVICES, code in MODERATED_SERVICES)
            if (s.visibility, s.block_only, s.moderated) != wanted:
                s.visibility, s.block_only, s.moderated = wanted
                s.save(update_fields=["visibility", "block_only", "moderated"])
            if created:
                for order, (qcode, datatype, required, text, text_es, values) in enumerate(questions):
                    question = ServiceQuestion.objects.create(
                        service=s, code=qcode, datatype=datatype, required=required, order=order,
                        values=[{"key": k, "name": n, "name_es": n_es} for k, n, n_es in values])
                    save_translations(question, {"en": {"description": text}, "es": {"description": text_es}})
            question = s.questions.filter(code="hazard").first()
            if question and not s.priority_rules.exists():
                PriorityRule.objects.create(service=s, question=question, answer="yes",
                                            target_hours=URGENT_TARGET_HOURS)
        self._more_languages()
        for slug, (email, phone) in ON_CALL.items():
            Department.objects.filter(slug=slug, on_call_emails="").update(on_call_emails=email, on_call_phones=phone)
        return depts

    def _more_languages(self) -> None:
        """The catalog in the other shipped languages (demo_data_<language>.py), where missing."""
        from civicdesk.catalog import demo_data_ar, demo_data_fr, demo_data_vi, demo_data_zh_hans

        for code, module in (("fr", demo_data_fr), ("ar", demo_data_ar), ("vi", demo_data_vi),
                             ("zh-hans", demo_data_zh_hans)):
            self._texts_in(code, module)

    def _texts_in(self, code: str, texts) -> None:
        for d in Department.objects.filter(slug__in=texts.DEPARTMENTS):
            if not d.has_translation(code):
                save_translations(d, {code: {"name": texts.DEPARTMENTS[d.slug]}})
        for s in Service.objects.filter(service_code__in=texts.SERVICES).prefetch_related("questions"):
            if not s.has_translation(code):
                name, description = texts.SERVICES[s.service_code]
                hazard = any(q.code == "hazard" for q in s.questions.all())
                notice = texts.EMERGENCY_NOTICES.get(s.service_code) or (texts.DANGER_NOTICE if hazard else "")
                save_translations(s, {code: {"name": name, "description": description, "emergency_notice": notice,
                                             "group": texts.GROUPS.get(localized(s, "group", "en"), "")}})
            for q in s.questions.all():
                text, labels = texts.QUESTIONS.get(q.code, ("", {}))
                if text and not q.has_translation(code):
                    save_translations(q, {code: {"description": text}})
                if labels and any(f"name_{code}" not in v for v in q.values):
                    q.values = [{**v, f"name_{code}": labels.get(str(v["key"]), v.get("name", ""))} for v in q.values]
                    q.save(update_fields=["values"])

    def _staff(self, depts: dict[str, Department]) -> None:
        def make(username, first, last, role, departments=(), all_departments=False, superuser=False):
            if User.objects.filter(username=username).exists():
                return
            u = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=first, last_name=last,
                                         email=f"{username}@riverton.example", role=role, is_staff=True,
                                         all_departments=all_departments, is_superuser=superuser)
            u.departments.set(departments)

        make("admin", "Alex", "Admin", Role.ADMINISTRATOR, superuser=True)
        make("supervisor", "Sam", "Rivera", Role.SUPERVISOR, [depts["public-works"], depts["sanitation"]])
        make("agent-311", "Jordan", "Lee", Role.AGENT, all_departments=True)
        for slug, d in depts.items():
            make(f"agent-{slug.split('-')[0]}", "Crew", d.name.split()[0], Role.AGENT, [d])

        self._clerk()

    @staticmethod
    def _clerk() -> None:
        """The city clerk: runs the public meetings (console › Meetings)."""
        if not User.objects.filter(username="clerk").exists():
            User.objects.create_user(username="clerk", password=DEMO_PASSWORD, first_name="Robin", last_name="Clark",
                                     email="clerk@riverton.example", role=Role.CLERK, is_staff=True)

    def _residents(self, rng: random.Random) -> list[Resident]:
        out = []
        for i in range(60):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            r, _ = Resident.objects.get_or_create(
                email=f"resident{i}@example.org",
                defaults={"first_name": first, "last_name": last, "preferred_language": rng.choice(["en", "en", "es"])})
            out.append(r)
        return out

    def _history(self, rng: random.Random, residents: list[Resident], count: int) -> None:
        services = list(Service.objects.select_related("department").prefetch_related("questions"))
        weights = [8 if s.service_code in {"pothole", "missed-trash", "streetlight-out", "graffiti", "illegal-dumping"} else 2
                   for s in services]
        now = timezone.now()
        self._crews = {d: list(User.objects.filter(departments__id=d, role=Role.AGENT)) for d in Department.objects.values_list("id", flat=True)}
        self._actor = User.objects.get(username="admin")
        from civicdesk.addresses.models import AddressPoint

        self._points = list(AddressPoint.objects.filter(unit="").order_by("ref"))
        self._cross = cross_streets(self._points)
        for _ in range(count):
            service = rng.choices(services, weights)[0]
            submitted = now - timedelta(days=rng.uniform(0, 182), minutes=rng.randint(0, 600))
            while submitted.month not in demo_reports.SEASONS.get(service.service_code, (submitted.month,)):
                service = rng.choices(services, weights)[0]  # no snow in July
            resident = rng.choice(residents) if rng.random() < 0.6 else None
            # Residents write in their language; some anonymous filers write in Spanish too.
            language = resident.preferred_language if resident else ("es" if rng.random() < 0.15 else "en")
            point = rng.choice(self._points)
            description, said = describe(rng, service.service_code, language, self._place(point))
            sub = case_services.submit_request(
                service=service, description=description, answers=self._answers(rng, service, said),
                location=self._location(point), resident=resident, language=language,
                channel=rng.choice(["web", "web", "web", "phone", "api"]), submitted_at=submitted)
            self._work_on(rng, sub.request, service, point, now)

    def _place(self, point) -> dict:
        return {"street": point.street, "cross": self._cross(point)}

    @staticmethod
    def _location(point) -> case_services.Location:
        return case_services.Location(lat=point.lat, long=point.long, address=point.label,
                                      zipcode=point.postcode, address_id=point.ref, checked=True)

    @staticmethod
    def _answers(rng: random.Random, service: Service, said: dict) -> dict:
        """Answers to the service's questions: what the description says, the rest at random."""
        answers = {}
        for q in service.questions.all():
            if q.choices():
                keys = [k for k, _ in q.choices()]
                answers[q.code] = [rng.choice(keys)] if q.datatype == "multivaluelist" else rng.choice(keys)
                if q.code == "hazard":  # a danger to people is the exception
                    answers[q.code] = "yes" if rng.random() < 0.05 else "no"
            elif q.datatype == "number":
                answers[q.code] = rng.randint(1, 4)
        return {**answers, **said}

    def _work_on(self, rng: random.Random, req: ServiceRequest, service: Service, point, now) -> None:
        """Moderation, a crew member, and the status changes a request of its age has had,
        each with the crew's public update in the filer's language."""
        submitted = req.submitted_at
        if req.needs_review and (now - submitted).days >= 2:  # the recent ones wait in the queue
            case_services.moderate(request=req, actor=self._actor, item="text", action="approve",
                                   at=submitted + timedelta(hours=rng.uniform(1, 20)))
        crew = self._crews.get(service.department_id)
        if crew and rng.random() < 0.7:
            req.assigned_to = rng.choice(crew)
            req.save(update_fields=["assigned_to"])
        age_days = (now - submitted).days
        path = [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
        steps = min(len(path), int(age_days / 6) + rng.randint(0, 2))
        if rng.random() < 0.05:
            path = [Status.ACKNOWLEDGED, Status.ON_HOLD, Status.IN_PROGRESS, Status.RESOLVED]
        moment = submitted
        place = self._place(point)
        for status in path[:steps]:
            moment = moment + timedelta(hours=rng.uniform(2, 24 * (service.sla_hours / 24 + 1)))
            if moment >= now:
                break
            message = update_for(rng, service, status, req.language, place)
            case_services.change_status(request=req, actor=self._actor, status=status, message=message,
                                        reason=message if status == Status.ON_HOLD else "", at=moment)

    def _conversations(self, rng: random.Random, residents: list[Resident]) -> int:
        """Closed chats (some filing a request, some about one), messages left for an answer
        by email and a chat waiting now: written through the conversation services as the
        widget and the console write them, then dated in the past. Returns how many."""
        from django.utils import translation

        from civicdesk.conversations import services as chat

        self._agent = User.objects.get(username="agent-311")
        self._departments = {d.slug: d for d in Department.objects.all()}
        free = {language: [r for r in residents if r.preferred_language == language] for language in ("en", "es")}
        now = timezone.now()
        made = 0
        with chat.collecting():  # nobody is connected: nothing to send on the live channel
            for script in demo_conversations.CHATS:
                language = script["language"]
                resident, point = rng.choice(free[language] or residents), rng.choice(self._points)
                if resident in free[language]:
                    free[language].remove(resident)
                start = _local_time(now, script["days_ago"], script.get("hour") or rng.uniform(9, 16.5), weekday=True)
                about = self._filed_before(rng, script.get("about"), resident, language, point, start)
                with translation.override(language):  # the words the resident sees
                    self._chat(rng, script, resident, point, about, start, now)
                made += 1
            for left in demo_conversations.MESSAGES_LEFT:
                with translation.override(left["language"]):
                    resident = rng.choice(free[left["language"]] or residents)
                    if resident in free[left["language"]]:
                        free[left["language"]].remove(resident)
                    conv = self._start_chat(left, resident, connected=False)
                    clock = _Clock(conv, _local_time(now, 0, left["hour"]))
                    clock.tick(0)
                    text = left["text"].format(address=rng.choice(self._points).label)
                    chat.leave_message(conversation=conv, email=resident.email, name=resident.full_name, body=text)
                    clock.tick(rng.uniform(60, 150))
                    clock.date(closed=False)
                    made += 1
            waiting = demo_conversations.WAITING
            with translation.override(waiting["language"]):
                conv = self._start_chat(waiting, None, connected=True)
                # the demo's chat in the queue now, as if an agent were on duty (nobody is
                # online while the city is seeded, which would make it a message)
                type(conv).objects.filter(pk=conv.pk).update(state="waiting")
                conv.state = "waiting"
                clock = _Clock(conv, now - timedelta(minutes=4))
                clock.tick(0)
                chat.resident_message(conversation=conv, body=waiting["text"])
                clock.tick(40)
                clock.date(closed=False)
                made += 1
        return made

    def _filed_before(self, rng: random.Random, code: str | None, resident: Resident, language: str, point,
                      start) -> ServiceRequest | None:
        """The request a chat is about: filed a few days before, seen to but not done yet."""
        if not code:
            return None
        service = Service.objects.select_related("department").get(service_code=code)
        submitted = start - timedelta(days=rng.uniform(3, 5.5))
        description, said = describe(rng, code, language, self._place(point))
        req = case_services.submit_request(
            service=service, description=description, answers=self._answers(rng, service, said),
            location=self._location(point), resident=resident, language=language, channel="web",
            submitted_at=submitted).request
        self._work_on(rng, req, service, point, start)  # under six days old: not resolved yet
        if req.status == Status.SUBMITTED:
            case_services.change_status(
                request=req, actor=self._actor, status=Status.ACKNOWLEDGED, at=submitted + timedelta(hours=3),
                message=update_for(rng, service, Status.ACKNOWLEDGED, language, self._place(point)))
        return req

    def _start_chat(self, script: dict, resident: Resident | None, *, connected: bool):
        from django.utils.translation import gettext

        from civicdesk.conversations import services as chat

        greeting = gettext("You are connected. An agent will be with you shortly.") if connected else ""
        return chat.start_conversation(
            department=self._departments.get(script["department"] or ""), language=script["language"],
            resident=resident, subject=script["subject"], greeting=greeting, assistant=False).conversation

    def _chat(self, rng: random.Random, script: dict, resident: Resident, point, about, start, now) -> None:
        from civicdesk.conversations import services as chat
        from civicdesk.conversations.models import Conversation, Message

        agent = self._agent
        conv = self._start_chat(script, resident, connected=True)
        clock = _Clock(conv, start)
        clock.tick(0)
        words = {"first": resident.first_name, "agent": agent.first_name, "address": point.label,
                 "street": point.street, "request_id": about.public_id if about else ""}
        if about is not None:  # the agent looked the request up: the chat shows it beside
            Conversation.objects.filter(pk=conv.pk).update(request=about)
        for line in script["lines"]:
            who = line[0]
            if who == "file":
                _who, code, description, said = line
                service = Service.objects.select_related("department").get(service_code=code)
                sub = case_services.submit_request(
                    service=service, description=description, answers=self._answers(rng, service, said),
                    location=self._location(point), resident=resident, language=script["language"],
                    channel="chat", submitted_at=clock.at, submission_key=f"conv:{conv.public_id}:demo")
                chat.link_request(conversation=conv, request=sub.request)
                clock.tick(rng.uniform(20, 50))
                self._work_on(rng, sub.request, service, point, now)
                continue
            if who == "agent" and conv.assigned_to_id is None:
                chat.assign(conversation=conv, agent=agent, by=agent)
                conv.assigned_to = agent
                clock.tick(rng.uniform(40, 150))
            text = line[1].format(**words)
            if who == "resident":
                chat.resident_message(conversation=conv, body=text)
            else:
                chat.post_message(conversation=conv, author=agent, body=text,
                                  sender=Message.Sender.AGENT if who == "agent" else Message.Sender.NOTE)
            clock.tick(line[2] if len(line) > 2 else rng.uniform(15, 25) + len(text) / 6)
        chat.close(conversation=conv, by=agent, resolution_code=script["resolution"])
        clock.tick(5)
        clock.date(closed=True)
        from django.conf import settings

        from civicdesk.surveys.models import Invitation

        # The chat survey the widget offered on closing (consent and the frequency cap allowing).
        Invitation.objects.filter(conversation=conv).update(
            created_at=clock.at, expires_at=clock.at + timedelta(days=settings.CIVICDESK_SURVEY_LINK_DAYS))
        if script.get("csat"):
            self._chat_survey(conv, script, clock.at)

    @staticmethod
    def _chat_survey(conv, script: dict, closed_at) -> None:
        """The resident answers the chat survey, if they were offered it."""
        from civicdesk.surveys import services as surveys
        from civicdesk.surveys.models import Invitation, Response

        invitation = Invitation.objects.filter(conversation=conv).select_related("survey").first()
        if invitation is None:
            return
        score, comment = script["csat"]
        raw = {f"q{q.pk}": comment if q.kind == "text" else str(score) for q in invitation.survey.questions.all()}
        response, _errors = surveys.record(survey=invitation.survey, raw=raw, invitation=invitation,
                                           language=conv.language)
        answered = closed_at + timedelta(minutes=2)
        Invitation.objects.filter(pk=invitation.pk).update(completed_at=answered)
        Response.objects.filter(pk=response.pk).update(created_at=answered, updated_at=answered)

    def _calls(self, rng: random.Random, residents: list[Resident]) -> None:
        """Phone calls on residents' records: one for each request a resident phoned in, and
        a few questions answered, transferred or to call back."""
        from civicdesk.conversations.models import CallLog

        rows = []
        for req in (ServiceRequest.objects.filter(channel="phone", resident__isnull=False)
                    .select_related("service", "assigned_to").order_by("pk")):
            rows.append(CallLog(
                resident_id=req.resident_id, agent=self._agent, outcome=CallLog.Outcome.REQUEST,
                summary=demo_conversations.CALL_FILED.format(service=localized(req.service, "name", "en"),
                                                             address=req.address, request_id=req.public_id),
                duration_s=rng.randint(120, 540), created_at=req.submitted_at))
        now = timezone.now()
        for summary, outcome in demo_conversations.OTHER_CALLS:
            rows.append(CallLog(resident=rng.choice(residents), agent=self._agent, summary=summary, outcome=outcome,
                                duration_s=rng.randint(60, 420),
                                created_at=now - timedelta(days=rng.uniform(1, 90))))
        CallLog.objects.bulk_create(rows)

    def _canned_responses(self) -> None:
        """The replies agents pick from, for everyone and per department (idempotent)."""
        from civicdesk.conversations.models import CannedResponse

        for title, slug, text, text_es in demo_conversations.CANNED:
            department = Department.objects.filter(slug=slug).first() if slug else None
            if CannedResponse.objects.filter(title=title, department=department).exists():
                continue
            canned = CannedResponse.objects.create(title=title, department=department)
            save_translations(canned, {"en": {"body": text}, "es": {"body": text_es}})


def _local_time(now, days_ago: int, hour: float, *, weekday: bool = False):
    """``hour`` o'clock (local time) ``days_ago`` days before ``now``, a weekday if asked,
    and never after ``now``."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    day = now.astimezone(zone).date() - timedelta(days=days_ago)
    while weekday and day.weekday() >= 5:
        day -= timedelta(days=1)
    at = datetime.combine(day, time(int(hour), int(hour % 1 * 60)), tzinfo=zone)
    return at - timedelta(days=1) if at > now else at


class _Clock:
    """Dates a conversation written just now as if it happened at ``at``: each tick moves
    the clock on and gives the messages written since the last tick the clock's time."""

    def __init__(self, conversation, at):
        self.conversation, self.start, self.at, self.seen = conversation, at, at, 0

    def tick(self, seconds: float) -> None:
        from django.db.models import Max

        from civicdesk.conversations.models import Message

        self.at += timedelta(seconds=seconds)
        messages = Message.objects.filter(conversation=self.conversation)
        messages.filter(seq__gt=self.seen).update(created_at=self.at)
        self.seen = messages.aggregate(last=Max("seq"))["last"] or 0

    def date(self, *, closed: bool) -> None:
        from django.db.models import F

        from civicdesk.conversations.models import Conversation

        Conversation.objects.filter(pk=self.conversation.pk).update(
            created_at=self.start, waiting_since=self.start, updated_at=self.at,
            closed_at=self.at if closed else None,
            agent_read_seq=F("last_seq") if closed else F("agent_read_seq"), resident_read_seq=F("last_seq"))
