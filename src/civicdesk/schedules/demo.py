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
    if CollectionService.objects.exists():
        return 0
    lat0, long0 = settings.CIVICDESK_MAP_CENTER
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
    return len(services)
