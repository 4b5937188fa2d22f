"""The schedules tests' city: two trash zones, a monthly sweeping zone, Thanksgiving."""

from datetime import date, time

import pytest
from django.core.cache import cache

from civicdesk.addresses.models import AddressPoint
from civicdesk.core.translation import save_translations
from civicdesk.schedules import selectors
from civicdesk.schedules.models import CollectionService, ScheduleChange, Zone

WEST = [[[-89.52, 41.82], [-89.48, 41.82], [-89.48, 41.88], [-89.52, 41.88], [-89.52, 41.82]]]
EAST = [[[-89.48, 41.82], [-89.44, 41.82], [-89.44, 41.88], [-89.48, 41.88], [-89.48, 41.82]]]


@pytest.fixture
def riverton(db):
    cache.delete(selectors.VERSION_KEY)
    selectors.forget()
    AddressPoint.objects.create(ref="A-1", number="1228", street="N Elm St", lat=41.85, long=-89.50,
                                street_key="n elm st", search="1228 n elm st")
    AddressPoint.objects.create(ref="A-2", number="500", street="Washington Blvd", lat=41.85, long=-89.46,
                                street_key="washington blvd", search="500 washington blvd")
    trash = CollectionService.objects.create(code="trash", kind="trash", order=0)
    save_translations(trash, {"en": {"name": "Trash", "rules": "Carts at the curb by 6 a.m."},
                              "es": {"name": "Basura", "rules": "Contenedores en la acera antes de las 6 a. m."}})
    sweeping = CollectionService.objects.create(code="sweeping", kind="sweeping", order=1)
    save_translations(sweeping, {"en": {"name": "Street sweeping", "rules": "No parking 7 a.m. to 3 p.m."},
                                 "es": {"name": "Barrido de calles", "rules": "No estacionar de 7 a 15 h."}})
    Zone.objects.create(service=trash, name="West", polygons=[WEST], weekday=3)  # Thursdays
    Zone.objects.create(service=trash, name="East", polygons=[EAST], weekday=0)  # Mondays
    Zone.objects.create(service=sweeping, name="West", polygons=[WEST], weekday=2, frequency="monthly", nth=2,
                        starts_at=time(7), ends_at=time(15))
    change = ScheduleChange.objects.create(start=date(2026, 11, 26), end=date(2026, 11, 28), shift_days=1)
    save_translations(change, {"en": {"name": "Thanksgiving"}, "es": {"name": "Acción de Gracias"}})
    return {"trash": trash, "sweeping": sweeping}




@pytest.fixture(autouse=True)
def _fresh_message_windows():
    """A subscription's "one confirmation per ten minutes" window lives in the cache, keyed
    by its id; ids start again in every test."""
    cache.clear()
