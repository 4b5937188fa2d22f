"""Seed the demo city of Riverton: departments, ~30 services, staff, residents and
a few hundred requests over the last six months with realistic timelines.

Runs once: if the catalog already has departments it does nothing (``--force`` to add
the history again). Historical notifications are not sent.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from civicdesk.accounts.models import Resident, Role, User
from civicdesk.cases import services as case_services
from civicdesk.cases.models import ServiceRequest, Status
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

DEMO_PASSWORD = "demo-pass-2026"

FIRST = ["Ana", "James", "María", "Robert", "Linh", "David", "Sofía", "Michael", "Aisha", "Carlos", "Emily", "Luis"]
LAST = ["García", "Smith", "Nguyen", "Johnson", "Hernández", "Brown", "Martínez", "Lee", "Davis", "López"]
DESCRIPTIONS = [
    "It has been like this for a week.", "Near the bus stop.", "Cars are swerving to avoid it.",
    "Right in front of the school.", "Second time I report this.", "Lleva así varios días.",
    "Frente a la tienda de la esquina.", "", "It gets worse when it rains.", "Next to the fire hydrant.",
]
UPDATES = {
    Status.ACKNOWLEDGED: "We have your report and added it to the crew's list.",
    Status.IN_PROGRESS: "A crew is scheduled to work on this.",
    Status.ON_HOLD: "Waiting for parts from the supplier.",
    Status.RESOLVED: "The crew finished the work. Thank you for reporting it.",
    Status.CLOSED: "",
}


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
        from django_tasks_db.models import DBTaskResult

        # The history is in the past: its notification emails are not to be sent now.
        DBTaskResult.objects.filter(status="READY").delete()
        self._api_key()
        self._knowledge()
        self._survey_answers(rng)
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {Department.objects.count()} departments, {Service.objects.count()} services, "
            f"{User.objects.count()} staff users, {opts['requests']} requests."))

    def _survey_answers(self, rng: random.Random) -> None:
        """A-11 answers for about 40% of resolved requests, a little better where requests
        were resolved fast, and departments apart, so the dashboard has something to show."""
        from civicdesk.surveys.models import Response, Survey
        from civicdesk.surveys.services import ensure_built_in

        ensure_built_in()
        survey = Survey.objects.get(slug="a11-cx")
        comments = ["The crew came the next day, thank you.", "Took too long, I had to call twice.",
                    "Easy to report online.", "Nobody told me what was happening.",
                    "Friendly staff on the phone.", "Long wait, but it was fixed well.",
                    "Muy rápido, gracias.", "No entendí el formulario."]
        bias = {d.pk: rng.uniform(-0.8, 0.6) for d in Department.objects.all()}
        rows = []
        for req in ServiceRequest.objects.filter(resolved_at__isnull=False):
            if rng.random() > 0.4:
                continue
            days = (req.resolved_at - req.submitted_at).total_seconds() / 86400
            base = 4.3 - min(days, 10) * 0.15 + bias[req.department_id]

            def score(base=base):
                return max(1, min(5, round(rng.gauss(base, 0.9))))
            sat, ease = score(), score()
            rows.append(Response(
                survey=survey, request=req, department_id=req.department_id, service_id=req.service_id,
                agent_id=req.assigned_to_id, channel=req.channel, language=req.language, complete=True,
                created_at=req.resolved_at + timedelta(hours=rng.uniform(1, 48)),
                satisfaction=sat, trust=max(1, min(5, round((sat + ease) / 2 + rng.gauss(0, 0.6)))),
                effectiveness=score(), ease=ease, efficiency=score(), transparency=score(),
                helpfulness=score(), equity=score(),
                comment=rng.choice(comments) if rng.random() < 0.3 else ""))
        Response.objects.bulk_create(rows)
        from civicdesk.surveys.rollups import rebuild

        rebuild(timezone.localdate() - timedelta(days=200), timezone.localdate())

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
        services = list(Service.objects.select_related("department"))
        weights = [8 if s.service_code in {"pothole", "missed-trash", "streetlight-out", "graffiti", "illegal-dumping"} else 2
                   for s in services]
        now = timezone.now()
        staff = {d: list(User.objects.filter(departments__id=d, role=Role.AGENT)) for d in Department.objects.values_list("id", flat=True)}
        actor = User.objects.get(username="admin")
        from civicdesk.addresses.models import AddressPoint

        points = list(AddressPoint.objects.filter(unit="").order_by("ref"))
        for _ in range(count):
            service = rng.choices(services, weights)[0]
            submitted = now - timedelta(days=rng.uniform(0, 182), minutes=rng.randint(0, 600))
            resident = rng.choice(residents) if rng.random() < 0.6 else None
            answers = {}
            for q in service.questions.all():
                if q.choices():
                    keys = [k for k, _ in q.choices()]
                    answers[q.code] = [rng.choice(keys)] if q.datatype == "multivaluelist" else rng.choice(keys)
                    if q.code == "hazard":  # a danger to people is the exception
                        answers[q.code] = "yes" if rng.random() < 0.05 else "no"
                elif q.datatype == "number":
                    answers[q.code] = rng.randint(1, 4)
            point = rng.choice(points)
            location = case_services.Location(lat=point.lat, long=point.long, address=point.label,
                                              zipcode=point.postcode, address_id=point.ref, checked=True)
            sub = case_services.submit_request(
                service=service, description=rng.choice(DESCRIPTIONS), answers=answers, location=location,
                resident=resident, language=resident.preferred_language if resident else "en",
                channel=rng.choice(["web", "web", "web", "phone", "api"]), submitted_at=submitted)
            req = sub.request
            if req.needs_review and (now - submitted).days >= 2:  # the recent ones wait in the queue
                case_services.moderate(request=req, actor=actor, item="text", action="approve",
                                       at=submitted + timedelta(hours=rng.uniform(1, 20)))
            if staff.get(service.department_id) and rng.random() < 0.7:
                req.assigned_to = rng.choice(staff[service.department_id])
                req.save(update_fields=["assigned_to"])
            age_days = (now - submitted).days
            path = [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
            steps = min(len(path), int(age_days / 6) + rng.randint(0, 2))
            if rng.random() < 0.05:
                path = [Status.ACKNOWLEDGED, Status.ON_HOLD, Status.IN_PROGRESS, Status.RESOLVED]
            moment = submitted
            for status in path[:steps]:
                moment = moment + timedelta(hours=rng.uniform(2, 24 * (service.sla_hours / 24 + 1)))
                if moment >= now:
                    break
                case_services.change_status(request=req, actor=actor, status=status, message=UPDATES[status],
                                            reason="Waiting for parts from the supplier." if status == Status.ON_HOLD else "",
                                            at=moment)
