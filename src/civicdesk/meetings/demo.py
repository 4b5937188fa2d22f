"""Riverton's public meetings for the demo: the City Council, the Planning Commission and the
Parks Board; past meetings with minutes, decisions, comments and speakers, upcoming ones with
agendas, PDF documents and comments waiting for the clerk. Idempotent: loaded once."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from civicdesk.core.translation import save_translations

from .models import AgendaItem, Body, Comment, Document, Meeting, Registration, Speaker, Topic

TOPICS = {"budget": ("Budget", "Presupuesto"), "housing": ("Housing", "Vivienda"),
          "transportation": ("Transportation", "Transporte"), "parks": ("Parks", "Parques"),
          "safety": ("Public safety", "Seguridad pública")}

BODIES = [
    ("city-council", Body.Kind.COUNCIL, ("Riverton City Council", "Concejo Municipal de Riverton"),
     ("Seven members elected by ward; meets the first and third Tuesday of the month.",
      "Siete miembros elegidos por distrito; se reúne el primer y tercer martes del mes.")),
    ("planning-commission", Body.Kind.COMMISSION, ("Planning Commission", "Comisión de Planificación"),
     ("Reviews zoning changes, subdivisions and the comprehensive plan.",
      "Revisa cambios de zonificación, subdivisiones y el plan general.")),
    ("parks-board", Body.Kind.BOARD, ("Parks and Recreation Board", "Junta de Parques y Recreación"),
     ("Advises the council on parks, trails and recreation programs.",
      "Asesora al concejo sobre parques, senderos y programas recreativos.")),
]


def pdf(title: str, lines: list[str]) -> bytes:
    """A small one-page PDF with a title and lines of text (Helvetica), for demo documents."""
    def esc(s: str) -> str:
        return s.encode("latin-1", "replace").decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = ["BT /F1 18 Tf 72 740 Td (" + esc(title) + ") Tj ET"]
    y = 700
    for line in lines:
        text.append(f"BT /F1 11 Tf 72 {y} Td ({esc(line)}) Tj ET")
        y -= 18
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _meeting(body, days, hour, title, mode=Meeting.Mode.HYBRID, state=Meeting.State.SCHEDULED, **fields):
    lat, long = settings.CIVICDESK_MAP_CENTER
    m = Meeting.objects.create(
        body=body, starts_at=_at(days, hour), ends_at=_at(days, hour + 3), mode=mode, state=state,
        place="City Hall, Council Chambers" if mode != Meeting.Mode.ONLINE else "",
        address="100 Main St" if mode != Meeting.Mode.ONLINE else "", lat=lat if mode != Meeting.Mode.ONLINE else None,
        long=long if mode != Meeting.Mode.ONLINE else None, published_at=timezone.now(), **fields)
    save_translations(m, {"en": {"title": title[0], "description": title[2] if len(title) > 2 else ""},
                          "es": {"title": title[1], "description": title[3] if len(title) > 3 else ""}})
    return m


def _items(meeting, topics, rows):
    items = []
    for number, (topic, en, es, decision) in enumerate(rows, start=1):
        item = AgendaItem.objects.create(meeting=meeting, number=number, topic=topics.get(topic))
        save_translations(item, {"en": {"title": en[0], "description": en[1], "decision": decision[0] if decision else ""},
                                 "es": {"title": es[0], "description": es[1], "decision": decision[1] if decision else ""}})
        items.append(item)
    return items


def _document(item, title, lines):
    data = pdf(title, lines)
    doc = Document(item=item, title=title, size=len(data), pages=1)
    doc.file.save(f"demo-{item.pk}-{secrets.token_hex(4)}.pdf", ContentFile(data), save=False)
    doc.save()


def _comments(meeting, item, rows, state=Comment.State.PUBLISHED):
    for name, position, language, body in rows:
        Comment.objects.create(meeting=meeting, item=item, public_name=name, position=position, language=language,
                               email=f"{name.split()[0].lower()}@example.org", body=body, state=state,
                               submission_key=secrets.token_hex(16),
                               moderated_at=timezone.now() if state != Comment.State.PENDING else None)


def _speakers(meeting, item, names, state):
    start = Speaker.objects.filter(meeting=meeting).count()
    for i, name in enumerate(names, start=start + 1):
        Speaker.objects.create(meeting=meeting, item=item, public_name=name, email=f"speaker{i}@example.org",
                               number=i, token=secrets.token_urlsafe(32), public_id=secrets.token_hex(6),
                               submission_key=secrets.token_hex(16), state=state)


def _registrations(meeting, count):
    for i in range(count):
        Registration.objects.create(meeting=meeting, name=f"Resident {i + 1}", email=f"attendee{i + 1}@example.org",
                                    attend=Registration.Attend.ONLINE if i % 3 else Registration.Attend.IN_PERSON,
                                    token=secrets.token_urlsafe(32), consent_wording="demo",
                                    interpretation="es" if i == 2 else "")


@transaction.atomic
def load() -> int:
    if Body.objects.exists():
        return 0
    topics = {}
    for slug, (en, es) in TOPICS.items():
        topics[slug] = Topic.objects.create(slug=slug)
        save_translations(topics[slug], {"en": {"name": en}, "es": {"name": es}})
    bodies = {}
    for order, (slug, kind, names, descriptions) in enumerate(BODIES):
        bodies[slug] = Body.objects.create(slug=slug, kind=kind, order=order)
        save_translations(bodies[slug], {"en": {"name": names[0], "description": descriptions[0]},
                                         "es": {"name": names[1], "description": descriptions[1]}})
    council = bodies["city-council"]

    # A council meeting two weeks ago: ended, minutes and decisions published.
    past = _meeting(council, -14, 18, ("Regular council meeting", "Sesión ordinaria del concejo"),
                    state=Meeting.State.ENDED, recording_url="https://www.youtube.com/watch?v=riverton0001",
                    attendance_in_room=42, stream_url="https://www.youtube.com/watch?v=riverton0001")
    past.started_at, past.ended_at, past.minutes_published_at = past.starts_at, past.ends_at, timezone.now()
    past.save()
    save_translations(past, {
        "en": {"minutes": "Present: Mayor Okafor and six council members. Called to order at 6:02 p.m.\n\n"
                          "Item 1: the Elm Street bike lanes were approved 5 to 2 after 14 public comments.\n\n"
                          "Item 2: the Riverside Park playground contract was awarded to Greenway Builders.\n\n"
                          "Adjourned at 8:41 p.m."},
        "es": {"minutes": "Presentes: la alcaldesa Okafor y seis concejales. Se abrió la sesión a las 6:02 p. m.\n\n"
                          "Punto 1: se aprobaron los carriles bici de Elm Street por 5 votos a 2 tras 14 comentarios.\n\n"
                          "Punto 2: se adjudicó el contrato del parque infantil de Riverside Park a Greenway Builders.\n\n"
                          "Se levantó la sesión a las 8:41 p. m."}})
    bike, playground = _items(past, topics, [
        ("transportation", ("Elm Street protected bike lanes", "A pilot of protected lanes from 1st to 12th Street."),
         ("Carriles bici protegidos en Elm Street", "Un piloto de carriles protegidos de la calle 1 a la 12."),
         ("Approved, 5 votes to 2.", "Aprobado, 5 votos a 2.")),
        ("parks", ("Riverside Park playground contract", "Award of the construction contract."),
         ("Contrato del parque infantil de Riverside Park", "Adjudicación del contrato de obra."),
         ("Awarded to Greenway Builders for $412,000.", "Adjudicado a Greenway Builders por 412.000 $.")),
    ])
    _document(bike, "Staff report: Elm Street bike lanes", ["Traffic counts, 2026: 9,400 vehicles a day.",
                                                            "Proposed: protected lanes both sides, 12 months."])
    _comments(past, bike, [
        ("Dana K.", Comment.Position.SUPPORT, "en", "I bike to work on Elm every day. Please make it safer."),
        ("A resident", Comment.Position.OPPOSE, "en", "We will lose parking in front of our shops on Elm."),
        ("María G.", Comment.Position.SUPPORT, "es", "Mis hijos van en bici a la escuela por Elm. Gracias."),
    ])
    _speakers(past, bike, ["Dana K.", "Tom R."], Speaker.State.DONE)
    _registrations(past, 23)

    # The budget hearing next week: hybrid, streamed to everyone, agenda with documents.
    hearing = _meeting(council, 6, 18, ("Budget hearing: the 2027 city budget", "Audiencia sobre el presupuesto municipal de 2027",
                                        "The proposed budget for next year, and your chance to comment before the council votes.",
                                        "El presupuesto propuesto para el año próximo y su oportunidad de opinar antes de la votación."),
                       stream_url="https://www.youtube.com/watch?v=riverton2027")
    budget, library, fares = _items(hearing, topics, [
        ("budget", ("Proposed 2027 operating budget", "$184 million; presentation by the finance director."),
         ("Presupuesto operativo propuesto para 2027", "184 millones de dólares; presentación de la directora de finanzas."), None),
        ("budget", ("Library opening hours", "Restoring Sunday hours at the three branch libraries."),
         ("Horario de las bibliotecas", "Recuperar el horario de domingo en las tres bibliotecas de barrio."), None),
        ("transportation", ("Bus fare for students", "Free fares for students under 18."),
         ("Tarifa de autobús para estudiantes", "Viaje gratis para estudiantes menores de 18 años."), None),
    ])
    _document(budget, "Proposed budget 2027: summary", ["Total: $184.2 million (+3.1%).", "Public safety: 38%.",
                                                         "Public works: 22%.", "Parks and libraries: 9%."])
    _document(budget, "Budget 2027: capital projects", ["Water main renewal: $12.5 million.", "Road resurfacing: $8 million."])
    _document(library, "Library hours: cost estimate", ["Sunday hours, three branches: $310,000 a year."])
    _comments(hearing, library, [
        ("Lee W.", Comment.Position.SUPPORT, "en", "Sunday is the only day my family can go to the library."),
        ("Nguyễn T.", Comment.Position.SUPPORT, "vi", "Xin hãy mở cửa thư viện vào Chủ nhật."),
    ])
    _comments(hearing, fares, [("Pat S.", Comment.Position.OPPOSE, "en", "Who pays for this? Bus fares already "
                                                                         "cover too little of the cost.")],
              state=Comment.State.PENDING)
    _speakers(hearing, budget, ["Chris P.", "Amina B."], Speaker.State.WAITING)
    _registrations(hearing, 8)

    # The planning commission: online only, the stream for registered attendees.
    planning = _meeting(bodies["planning-commission"], 10, 17,
                        ("Rezoning of 400 River Road", "Recalificación de 400 River Road"),
                        mode=Meeting.Mode.ONLINE, stream_url="https://vimeo.com/1000000001",
                        stream_audience=Meeting.Audience.REGISTERED)
    _items(planning, topics, [
        ("housing", ("400 River Road: from industrial to mixed use", "120 homes and ground-floor shops proposed."),
         ("400 River Road: de industrial a uso mixto", "Se proponen 120 viviendas y comercios en planta baja."), None)])

    # The parks board last month: ended, minutes published.
    parks = _meeting(bodies["parks-board"], -30, 17, ("Parks board monthly meeting", "Reunión mensual de la junta de parques"),
                     state=Meeting.State.ENDED, attendance_in_room=11)
    parks.started_at, parks.ended_at, parks.minutes_published_at = parks.starts_at, parks.ends_at, timezone.now()
    parks.save()
    save_translations(parks, {"en": {"minutes": "The board recommended the winter trail lighting plan. Adjourned at 6:30 p.m."},
                              "es": {"minutes": "La junta recomendó el plan de iluminación invernal de senderos. "
                                                "Se levantó la sesión a las 6:30 p. m."}})
    _items(parks, topics, [("parks", ("Winter trail lighting", "Lighting on the river trail, November to March."),
                            ("Iluminación invernal de senderos", "Luces en el sendero del río, de noviembre a marzo."),
                            ("Recommended to the council.", "Recomendado al concejo."))])
    # A draft the clerk is still preparing: not on the public pages.
    _meeting(council, 20, 18, ("Regular council meeting (draft)", "Sesión ordinaria (borrador)"), state=Meeting.State.DRAFT)
    return Meeting.objects.count()
