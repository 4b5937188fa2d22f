"""Riverton's collection schedules for the demo: five services over zones cut from the city
boundary's box (four quadrants for trash, recycling and yard waste; east and west halves for
bulky items and sweeping), Thanksgiving, Christmas and New Year's Day changes. Idempotent."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.conf import settings
from django.db import transaction

from civicdesk.core.translation import save_translations

from .models import CollectionService, ScheduleChange, Zone

SERVICES = [
    ("trash", "trash", {"en": ("Trash", "Carts at the curb by 6 a.m., lids closed, handles toward the house."),
                        "es": ("Basura", "Contenedores en la acera antes de las 6 a. m., con la tapa cerrada.")}),
    ("recycling", "recycling", {"en": ("Recycling", "Clean paper, cardboard, cans and bottles, loose in the blue cart. No bags."),
                                "es": ("Reciclaje", "Papel, cartón, latas y botellas limpios, sueltos en el contenedor azul. Sin bolsas.")}),
    ("yard", "yard", {"en": ("Yard waste", "Leaves and trimmings in paper bags or the green cart, April to November."),
                      "es": ("Residuos de jardín", "Hojas y ramas en bolsas de papel o en el contenedor verde, de abril a noviembre.")}),
    ("bulky", "bulky", {"en": ("Bulky items", "Up to three large items at the curb the night before; no electronics."),
                        "es": ("Objetos voluminosos", "Hasta tres objetos grandes en la acera la noche anterior; sin aparatos electrónicos.")}),
    ("sweeping", "sweeping", {"en": ("Street sweeping", "No parking on the posted side from 7 a.m. to 3 p.m.; cars are ticketed."),
                              "es": ("Barrido de calles", "No se puede estacionar en el lado señalizado de 7 a. m. a 3 p. m.; se multa a los autos.")}),
]


def _box(lat0, long0, lat1, long1) -> list:
    return [[[long0, lat0], [long1, lat0], [long1, lat1], [long0, lat1], [long0, lat0]]]


def _thanksgiving(year: int) -> date:
    nov1 = date(year, 11, 1)
    return nov1 + timedelta(days=(3 - nov1.weekday()) % 7 + 21)


def _rest_of_week(day: date) -> date:
    return day + timedelta(days=5 - day.weekday()) if day.weekday() < 5 else day


@transaction.atomic
def load(today: date | None = None) -> int:
    lat0, long0 = settings.CIVICDESK_MAP_CENTER
    if CollectionService.objects.exists():  # seeded before: add what came since
        from .models import Notice

        _link_missed()
        if not Notice.objects.exists():
            notices(lat0, long0)
        return 0
    d_lat, d_long = 0.04, 0.055  # beyond the boundary's box on every side
    s, n, w, e = lat0 - d_lat, lat0 + d_lat, long0 - d_long, long0 + d_long
    quadrants = [("Northwest", _box(lat0, w, n, long0)), ("Northeast", _box(lat0, long0, n, e)),
                 ("Southwest", _box(s, w, lat0, long0)), ("Southeast", _box(s, long0, lat0, e))]
    halves = [("West", _box(s, w, n, long0)), ("East", _box(s, long0, n, e))]
    services = {}
    for order, (code, kind, texts) in enumerate(SERVICES):
        svc = CollectionService.objects.create(code=code, kind=kind, order=order)
        save_translations(svc, {lang: {"name": name, "rules": rules}
                                for lang, (name, rules) in texts.items()})
        services[code] = svc
    for weekday, (name, area) in enumerate(quadrants):  # Monday to Thursday
        Zone.objects.create(service=services["trash"], name=name, polygons=[area], weekday=weekday)
        Zone.objects.create(service=services["recycling"], name=name, polygons=[area], weekday=weekday,
                            frequency=Zone.Frequency.BIWEEKLY, anchor=date(2026, 1, 5) + timedelta(days=7 * (weekday % 2)))
        Zone.objects.create(service=services["yard"], name=name, polygons=[area], weekday=weekday,
                            season_start="04-01", season_end="11-30")
    for k, (name, area) in enumerate(halves):
        Zone.objects.create(service=services["bulky"], name=name, polygons=[area], weekday=1,
                            frequency=Zone.Frequency.MONTHLY, nth=1 + 2 * k)  # 1st or 3rd Tuesday
        Zone.objects.create(service=services["sweeping"], name=name, polygons=[area], weekday=2 + k,
                            frequency=Zone.Frequency.MONTHLY, nth=2, starts_at=time(7), ends_at=time(15))
    year = (today or date.today()).year
    for y in (year, year + 1):
        thanks = _thanksgiving(y)
        for start, end, shift, en, es in [
                (thanks, _rest_of_week(thanks), 1, "Thanksgiving", "Día de Acción de Gracias"),
                (date(y, 12, 25), _rest_of_week(date(y, 12, 25)), 1, "Christmas", "Navidad"),
                (date(y + 1, 1, 1), _rest_of_week(date(y + 1, 1, 1)), 1, "New Year's Day", "Año Nuevo")]:
            change = ScheduleChange.objects.create(start=start, end=end, shift_days=shift)
            save_translations(change, {"en": {"name": en}, "es": {"name": es}})
    _link_missed()
    notices(lat0, long0)
    return len(services)


def _link_missed() -> None:
    """Trash and recycling are reported missed with the catalog's "missed-…" services."""
    from civicdesk.catalog.models import Service

    for svc in CollectionService.objects.filter(missed_service__isnull=True):
        svc.missed_service = Service.objects.filter(service_code=f"missed-{svc.code}").first()
        if svc.missed_service:
            svc.save(update_fields=["missed_service"])


NOTICES = [
    # kind, starts in (days), lasts (hours), area (None: whole city; (dlat, dlong, metres): a circle), texts
    ("water", 0, 30, (0.008, -0.012, 600), {
        "en": ("Water main repair on Oak Street",
               "Water is off for homes within about 600 m of Oak St and 4th Ave while crews replace "
               "a broken main. Bottled water is handed out at Fire Station 2. Run cold water for a "
               "minute when service returns."),
        "es": ("Reparación de la tubería principal en Oak Street",
               "No hay agua en las casas a unos 600 m de Oak St y 4th Ave mientras se cambia una "
               "tubería rota. Se reparte agua embotellada en la Estación de Bomberos 2. Deje correr "
               "el agua fría un minuto cuando vuelva el servicio.")}),
    ("road", 1, 72, (-0.01, 0.015, 400), {
        "en": ("River Road closed for bridge inspection",
               "River Road is closed between Mill St and the bridge, 7 a.m. to 6 p.m. Follow the "
               "detour signs on Mill St. Buses use the detour too."),
        "es": ("River Road cerrada por inspección del puente",
               "River Road está cerrada entre Mill St y el puente, de 7 a. m. a 6 p. m. Siga los "
               "desvíos por Mill St. Los autobuses también usan el desvío.")}),
    ("holiday", 0, 24 * 10, None, {
        "en": ("Holiday hours at City Hall",
               "City Hall closes at noon on December 24 and 31 and is closed December 25 and "
               "January 1. You can still report problems and chat with the assistant here at any hour."),
        "es": ("Horario festivo del Ayuntamiento",
               "El Ayuntamiento cierra al mediodía el 24 y el 31 de diciembre y está cerrado el 25 de "
               "diciembre y el 1 de enero. Puede seguir reportando problemas y hablar con el asistente "
               "aquí a cualquier hora.")}),
]


def notices(lat0: float, long0: float) -> None:
    """Three published notices: a water main repair and a road closure in parts of the city,
    and the holiday hours for everyone. Not sent to anyone (the demo has no subscribers)."""
    from django.utils import timezone

    from .models import Notice

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for kind, starts, hours, area, texts in NOTICES:
        fields = {}
        if area is not None:
            dlat, dlong, radius = area
            fields = {"lat": lat0 + dlat, "long": long0 + dlong, "radius_m": radius}
        notice = Notice.objects.create(kind=kind, starts_at=now + timedelta(days=starts),
                                       ends_at=now + timedelta(days=starts, hours=hours),
                                       published=True, notify=False, **fields)
        save_translations(notice, {lang: {"name": title, "body": body}
                                   for lang, (title, body) in texts.items()})
