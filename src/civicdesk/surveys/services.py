"""Surveys: the built-in question sets, invitations (consent, frequency cap, single-use
links), and recording answers (partial answers kept)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core.languages import agency_name
from civicdesk.core.translation import localized, save_translations
from civicdesk.privacy.redaction import redact

from .models import Answer, Invitation, Question, Response, Survey

K, M = Question.Kind, Question.Measure

# The US OMB Circular A-11 Section 280 customer-experience items, on a 5-point agreement
# scale. Satisfaction and trust are asked as written ([service] filled in).
A11 = [
    (K.AGREE5, M.SATISFACTION, "I am satisfied with the service I received from [service].",
     "Estoy satisfecho con el servicio que recibí de [service]."),
    (K.AGREE5, M.TRUST, "This interaction increased my confidence in [service].",
     "Esta interacción aumentó mi confianza en [service]."),
    (K.AGREE5, M.EFFECTIVENESS, "My need was addressed.", "Se atendió mi necesidad."),
    (K.AGREE5, M.EASE, "It was easy to complete what I needed to do.",
     "Fue fácil completar lo que necesitaba hacer."),
    (K.AGREE5, M.EFFICIENCY, "It took a reasonable amount of time to do what I needed to do.",
     "Me tomó un tiempo razonable hacer lo que necesitaba."),
    (K.AGREE5, M.TRANSPARENCY, "I understood what was being asked of me throughout the process.",
     "Entendí lo que se me pedía durante todo el proceso."),
    (K.AGREE5, M.HELPFULNESS, "Employees I interacted with were helpful.",
     "Los empleados con quienes traté fueron útiles."),
    (K.AGREE5, M.EQUITY, "I was treated fairly.", "Me trataron de manera justa."),
    (K.TEXT, M.COMMENT, "Any additional feedback?", "¿Algún otro comentario?"),
]
BUILT_IN = {
    "a11-cx": ("A-11 customer experience", "Experiencia del cliente A-11", Survey.Trigger.REQUEST_RESOLVED,
               "Two minutes to tell us how it went.", "Dos minutos para contarnos cómo le fue.", A11),
    "csat": ("Satisfaction (CSAT)", "Satisfacción (CSAT)", Survey.Trigger.CHAT_CLOSED,
             "How did we do?", "¿Cómo lo hicimos?", [
                 (K.CSAT5, M.CSAT, "Overall, how satisfied are you with [service]?",
                  "En general, ¿qué tan satisfecho está con [service]?"),
                 (K.AGREE5, M.TRUST, "This interaction increased my confidence in [service].",
                  "Esta interacción aumentó mi confianza en [service]."),
                 (K.TEXT, M.COMMENT, "Any additional feedback?", "¿Algún otro comentario?")]),
    "effort": ("Customer effort", "Esfuerzo del cliente", Survey.Trigger.MANUAL, "", "", [
        (K.AGREE5, M.EFFORT, "[service] made it easy for me to handle my issue.",
         "[service] me facilitó resolver mi asunto.")]),
    "nps": ("Likelihood to recommend", "Probabilidad de recomendar", Survey.Trigger.MANUAL, "", "", [
        (K.SCALE10, M.NPS, "How likely are you to recommend [service] to a friend or neighbour?",
         "¿Qué tan probable es que recomiende [service] a un amigo o vecino?")]),
    "feedback": ("Give feedback", "Denos su opinión", Survey.Trigger.ALWAYS,
                 "Tell us about your experience with the city's services.",
                 "Cuéntenos su experiencia con los servicios de la ciudad.", [
                     (K.CSAT5, M.CSAT, "Overall, how satisfied are you with [service]?",
                      "En general, ¿qué tan satisfecho está con [service]?"),
                     (K.AGREE5, M.TRUST, "This interaction increased my confidence in [service].",
                      "Esta interacción aumentó mi confianza en [service]."),
                     (K.TEXT, M.COMMENT, "Any additional feedback?", "¿Algún otro comentario?")]),
}


# The same surveys' texts in other shipped languages: {language: {slug: (name, intro)}} and
# {language: {English question: translation}}. A language missing here falls back to English.
BUILT_IN_TRANSLATIONS = {
    "fr": {"a11-cx": ("Expérience usager A-11", "Deux minutes pour nous dire comment cela s’est passé."),
           "csat": ("Satisfaction (CSAT)", "Comment nous en sommes-nous sortis ?"),
           "effort": ("Effort de l’usager", ""), "nps": ("Probabilité de recommander", ""),
           "feedback": ("Donner votre avis", "Parlez-nous de votre expérience des services de la ville.")},
    "ar": {"a11-cx": ("تجربة المتعاملين A-11", "دقيقتان لتخبرنا كيف سارت الأمور."),
           "csat": ("الرضا (CSAT)", "كيف كان أداؤنا؟"),
           "effort": ("جهد المتعامل", ""), "nps": ("احتمال التوصية", ""),
           "feedback": ("شاركنا رأيك", "أخبرنا عن تجربتك مع خدمات المدينة.")},
    "vi": {"a11-cx": ("Trải nghiệm người dân A-11", "Hai phút để cho chúng tôi biết mọi việc thế nào."),
           "csat": ("Mức hài lòng (CSAT)", "Chúng tôi làm thế nào?"),
           "effort": ("Công sức của người dân", ""), "nps": ("Khả năng giới thiệu", ""),
           "feedback": ("Góp ý", "Hãy kể cho chúng tôi về trải nghiệm của bạn với các dịch vụ của thành phố.")},
    "zh-hans": {"a11-cx": ("A-11 居民体验", "用两分钟告诉我们进展如何。"), "csat": ("满意度 (CSAT)", "我们做得怎么样？"),
                "effort": ("居民付出的努力", ""), "nps": ("推荐可能性", ""),
                "feedback": ("提供反馈", "请告诉我们您使用城市服务的体验。")},
}
QUESTION_TRANSLATIONS = {
    "fr": {
        "I am satisfied with the service I received from [service].": "Je suis satisfait du service reçu de [service].",
        "This interaction increased my confidence in [service].": "Cet échange a renforcé ma confiance envers [service].",
        "My need was addressed.": "Ma demande a été prise en charge.",
        "It was easy to complete what I needed to do.": "Il a été facile de faire ce que j’avais à faire.",
        "It took a reasonable amount of time to do what I needed to do.":
            "Faire ce que j’avais à faire a pris un temps raisonnable.",
        "I understood what was being asked of me throughout the process.":
            "J’ai compris ce qu’on attendait de moi tout au long de la démarche.",
        "Employees I interacted with were helpful.": "Les employés avec qui j’ai échangé ont été serviables.",
        "I was treated fairly.": "J’ai été traité équitablement.",
        "Any additional feedback?": "D’autres remarques ?",
        "Overall, how satisfied are you with [service]?": "Dans l’ensemble, êtes-vous satisfait de [service] ?",
        "[service] made it easy for me to handle my issue.": "[service] m’a facilité le règlement de ma demande.",
        "How likely are you to recommend [service] to a friend or neighbour?":
            "Quelle est la probabilité que vous recommandiez [service] à un ami ou à un voisin ?",
    },
    "ar": {
        "I am satisfied with the service I received from [service].": "أنا راضٍ عن الخدمة التي تلقيتها من [service].",
        "This interaction increased my confidence in [service].": "زاد هذا التعامل من ثقتي في [service].",
        "My need was addressed.": "تمت تلبية حاجتي.",
        "It was easy to complete what I needed to do.": "كان من السهل إنجاز ما احتجت إلى فعله.",
        "It took a reasonable amount of time to do what I needed to do.": "استغرق إنجاز ما احتجت إليه وقتًا معقولًا.",
        "I understood what was being asked of me throughout the process.": "فهمت ما كان مطلوبًا مني طوال الإجراء.",
        "Employees I interacted with were helpful.": "كان الموظفون الذين تعاملت معهم متعاونين.",
        "I was treated fairly.": "عوملت بإنصاف.",
        "Any additional feedback?": "هل لديك ملاحظات أخرى؟",
        "Overall, how satisfied are you with [service]?": "بشكل عام، ما مدى رضاك عن [service]؟",
        "[service] made it easy for me to handle my issue.": "سهّلت [service] عليّ معالجة مسألتي.",
        "How likely are you to recommend [service] to a friend or neighbour?":
            "ما مدى احتمال أن توصي بـ [service] لصديق أو جار؟",
    },
    "vi": {
        "I am satisfied with the service I received from [service].": "Tôi hài lòng với dịch vụ nhận được từ [service].",
        "This interaction increased my confidence in [service].": "Lần làm việc này làm tôi tin tưởng [service] hơn.",
        "My need was addressed.": "Nhu cầu của tôi đã được đáp ứng.",
        "It was easy to complete what I needed to do.": "Tôi dễ dàng hoàn thành việc cần làm.",
        "It took a reasonable amount of time to do what I needed to do.": "Thời gian để làm việc cần làm là hợp lý.",
        "I understood what was being asked of me throughout the process.": "Tôi hiểu mình cần làm gì trong suốt quá trình.",
        "Employees I interacted with were helpful.": "Các nhân viên tôi gặp đều nhiệt tình giúp đỡ.",
        "I was treated fairly.": "Tôi được đối xử công bằng.",
        "Any additional feedback?": "Bạn có góp ý gì thêm không?",
        "Overall, how satisfied are you with [service]?": "Nhìn chung, bạn hài lòng với [service] đến mức nào?",
        "[service] made it easy for me to handle my issue.": "[service] giúp tôi dễ dàng giải quyết việc của mình.",
        "How likely are you to recommend [service] to a friend or neighbour?":
            "Bạn có khả năng giới thiệu [service] cho bạn bè hoặc hàng xóm đến mức nào?",
    },
    "zh-hans": {
        "I am satisfied with the service I received from [service].": "我对从 [service] 获得的服务感到满意。",
        "This interaction increased my confidence in [service].": "这次互动增强了我对 [service] 的信任。",
        "My need was addressed.": "我的需求得到了解决。",
        "It was easy to complete what I needed to do.": "完成我需要办的事情很容易。",
        "It took a reasonable amount of time to do what I needed to do.": "办理所需事项花费的时间合理。",
        "I understood what was being asked of me throughout the process.": "在整个过程中我都清楚需要我做什么。",
        "Employees I interacted with were helpful.": "与我打交道的工作人员乐于助人。",
        "I was treated fairly.": "我受到了公平对待。",
        "Any additional feedback?": "还有其他意见吗？",
        "Overall, how satisfied are you with [service]?": "总体而言，您对 [service] 的满意程度如何？",
        "[service] made it easy for me to handle my issue.": "[service] 让我轻松处理了我的问题。",
        "How likely are you to recommend [service] to a friend or neighbour?": "您向朋友或邻居推荐 [service] 的可能性有多大？",
    },
}


def ensure_built_in() -> None:
    """Create the built-in surveys that are missing (idempotent; the demo and tests)."""
    for slug, (name, name_es, trigger, intro, intro_es, questions) in BUILT_IN.items():
        survey, created = Survey.objects.get_or_create(slug=slug, defaults={"trigger": trigger, "built_in": True})
        if created:
            save_translations(survey, {"en": {"name": name, "intro": intro}, "es": {"name": name_es, "intro": intro_es}})
            for order, (kind, measure, text, text_es) in enumerate(questions):
                question = Question.objects.create(survey=survey, order=order, kind=kind, measure=measure)
                save_translations(question, {"en": {"text": text}, "es": {"text": text_es}})
        for language, names in BUILT_IN_TRANSLATIONS.items():
            if slug in names and not survey.has_translation(language):
                name_l, intro_l = names[slug]
                save_translations(survey, {language: {"name": name_l, "intro": intro_l}})
                for question in survey.questions.all():
                    text_l = QUESTION_TRANSLATIONS[language].get(localized(question, "text", "en"))
                    if text_l:
                        save_translations(question, {language: {"text": text_l}})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def surveyed_recently(*, email: str = "", resident=None, phone: str = "") -> bool:
    """The frequency cap: nobody is invited twice within CIVICDESK_SURVEY_CAP_DAYS."""
    since = timezone.now() - timedelta(days=settings.CIVICDESK_SURVEY_CAP_DAYS)
    who = Q()
    if email:
        who |= Q(email__iexact=email)
    if phone:
        who |= Q(phone=phone)
    if resident is not None:
        who |= Q(resident=resident)
    if not who:
        return False
    return Invitation.objects.filter(who, created_at__gte=since).exists()


def may_survey(*, email: str = "", resident=None, phone: str = "") -> bool:
    from civicdesk.privacy.data_rights import Purpose, has_consent

    if not has_consent(resident, Purpose.SURVEYS, default=settings.CIVICDESK_SURVEY_CONSENT_DEFAULT):
        return False
    return not surveyed_recently(email=email, resident=resident, phone=phone)


def invite(survey: Survey, *, channel: str, request=None, conversation=None, resident=None,
           email: str = "", phone: str = "", language: str = "en") -> tuple[Invitation, str] | None:
    """A single-use invitation, or None when consent or the frequency cap say no."""
    if not survey.active or not may_survey(email=email, resident=resident, phone=phone):
        return None
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    inv = Invitation.objects.create(
        survey=survey, token_hash=token_hash(token), channel=channel, request=request,
        conversation=conversation, resident=resident, email=email, phone=phone[:40], language=language[:8],
        created_at=now, expires_at=now + timedelta(days=settings.CIVICDESK_SURVEY_LINK_DAYS))
    return inv, token


def invitation_for(token: str) -> Invitation | None:
    inv = (Invitation.objects.select_related("survey", "request__service", "request__department",
                                             "conversation__department", "conversation__assigned_to")
           .filter(token_hash=token_hash(token or "")).first())
    if inv is None or inv.expires_at < timezone.now():
        return None
    return inv


def subject_for(inv: Invitation | None) -> str:
    """What [service] becomes: the service's name, else the department's, else the agency."""
    if inv is not None and inv.request_id:
        return inv.request.service.display_name
    if inv is not None and inv.conversation_id and inv.conversation.department_id:
        return inv.conversation.department.display_name
    return agency_name()


MEASURES = {M.SATISFACTION, M.TRUST, M.EFFECTIVENESS, M.EASE, M.EFFICIENCY, M.TRANSPARENCY,
            M.HELPFULNESS, M.EQUITY, M.CSAT, M.EFFORT, M.NPS}
RANGES = {K.AGREE5: (1, 5), K.CSAT5: (1, 5), K.SCALE10: (0, 10), K.YESNO: (0, 1)}


def clean(question: Question, raw: str):
    """A number, a text, or None when left empty; ValidationError when out of range."""
    raw = (raw or "").replace("\x00", "").strip()
    if not raw:
        if question.required:
            raise ValidationError(_("This question needs an answer."))
        return None
    if question.kind == K.TEXT:
        if len(raw) > 4000:
            raise ValidationError(_("Keep this answer under 4000 characters (it has %(n)s).")
                                  % {"n": len(raw)})
        return redact(raw)[0]
    if question.kind == K.CHOICE:
        if raw not in {str(c.get("key")) for c in question.choices}:
            raise ValidationError(_("Choose one of the options."))
        return raw
    low, high = RANGES[question.kind]
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(_("Choose one of the options.")) from None
    if not low <= value <= high:
        raise ValidationError(_("Choose one of the options."))
    return value


@transaction.atomic
def record(*, survey: Survey, raw: dict[str, str], invitation: Invitation | None = None,
           response: Response | None = None, language: str = "en", channel: str = "web",
           complete: bool = True) -> tuple[Response, dict[str, str]]:
    """Store what was answered (even if not everything: partial answers are kept) and
    return the response and the errors per question."""
    errors: dict[str, str] = {}
    if response is None:
        response = Response(survey=survey, invitation=invitation, language=language[:8],
                            channel=invitation.channel if invitation else channel)
        if invitation is not None:
            req, conv = invitation.request, invitation.conversation
            response.request, response.conversation = req, conv
            if req is not None:
                response.department_id, response.service_id = req.department_id, req.service_id
                response.agent_id = req.assigned_to_id
            elif conv is not None:
                response.department_id, response.agent_id = conv.department_id, conv.assigned_to_id
                if conv.request_id:
                    response.service_id = conv.request.service_id
        response.save()
    for q in survey.questions.all():
        key = f"q{q.pk}"
        if key not in raw:
            continue
        try:
            value = clean(q, raw[key])
        except ValidationError as e:
            errors[key] = e.messages[0]
            continue
        if value is None:
            Answer.objects.filter(response=response, question=q).delete()
            continue
        Answer.objects.update_or_create(
            response=response, question=q,
            defaults={"number": value if isinstance(value, int) else None,
                      "text": value if isinstance(value, str) else ""})
        if q.measure in MEASURES and isinstance(value, int):
            setattr(response, q.measure, value)
        elif q.measure == M.COMMENT and isinstance(value, str):
            response.comment = value
    response.complete = complete and not errors
    response.updated_at = timezone.now()
    response.save()
    if invitation is not None and response.complete and invitation.completed_at is None:
        invitation.completed_at = timezone.now()
        invitation.save(update_fields=["completed_at"])
    return response, errors
