import pytest

from tests.conversations.conftest import _in_memory_layer, department  # noqa: F401


@pytest.fixture
def assistant_on(settings):
    settings.CIVICDESK_ASSISTANT = True


@pytest.fixture
def city(db, department):  # noqa: F811 (the imported fixture)
    """A small agency: a pothole service with a required question, two articles."""
    from civicdesk.knowledge.models import Synonym
    from tests.factories import ArticleFactory, QuestionFactory, ServiceFactory

    department.phone = "(555) 010-1100"
    department.save()
    pothole = ServiceFactory(service_code="pothole", name="Pothole", name_es="Bache",
                             department=department,
                             description="A hole or broken pavement in a street.",
                             description_es="Un hoyo o pavimento roto en una calle.",
                             keywords="pothole, hole in the road, bache")
    QuestionFactory(service=pothole, code="size", datatype="singlevaluelist", required=True,
                    description="How big is it?", description_es="¿Qué tamaño tiene?",
                    values=[{"key": "small", "name": "Small", "name_es": "Pequeño"},
                            {"key": "large", "name": "Large", "name_es": "Grande"}])
    trash = ArticleFactory(slug="trash-day")
    trash.departments.add(department)
    vote = ArticleFactory(slug="register-to-vote", title="How do I register to vote?",
                          title_es="¿Cómo me registro para votar?",
                          summary="Register online or at the City Clerk's office.",
                          summary_es="Regístrese en línea o en la Secretaría Municipal.",
                          body="You can register if you are a citizen and 18 by election day.",
                          body_es="Puede registrarse si es ciudadano y tiene 18 años.")
    Synonym.objects.create(language="en", terms="trash, garbage")
    return {"pothole": pothole, "trash": trash, "vote": vote, "department": department}
