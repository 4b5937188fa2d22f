"""factory_boy factories for the domain models."""

from datetime import time

import factory

from civicdesk.accounts.models import Resident, User
from civicdesk.catalog.models import BusinessHours, Department, Service, ServiceQuestion
from civicdesk.knowledge.models import Article, Category


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"Department {n}")
    name_es = factory.Sequence(lambda n: f"Departamento {n}")
    timezone = "America/Chicago"

    @factory.post_generation
    def weekday_hours(self, create, extracted, **kwargs):
        if create and extracted is not False:
            for weekday in range(5):
                BusinessHours.objects.create(department=self, weekday=weekday, opens=time(8), closes=time(17))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    service_code = factory.Sequence(lambda n: f"service-{n}")
    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    name_es = factory.Sequence(lambda n: f"Servicio {n}")
    description = "Something to fix."
    description_es = "Algo que arreglar."
    group = "Streets"
    group_es = "Calles"
    sla_hours = 16


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceQuestion

    service = factory.SubFactory(ServiceFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    datatype = "string"
    description = "A question"
    description_es = "Una pregunta"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Staff{n}")
    is_staff = True
    role = "agent"
    password = factory.PostGenerationMethodCall("set_password", "test-pass-12345")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)
        if create:
            self.save()


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    first_name = "Rita"
    last_name = "Resident"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "general"
    name = "General"
    name_es = "General"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article in English and Spanish."""

    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"article-{n}")
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    title = "When is my trash collected?"
    title_es = "¿Cuándo recogen mi basura?"
    summary = "Trash is collected once a week on your pickup day."
    summary_es = "La basura se recoge una vez por semana en su día de recolección."
    body = "Put the cart at the **curb** by 6 a.m."
    body_es = "Saque el contenedor a la **acera** antes de las 6 a. m."
