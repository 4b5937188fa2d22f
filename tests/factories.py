"""factory_boy factories for the domain models."""

from datetime import time

import factory

from civicdesk.accounts.models import Resident, User
from civicdesk.catalog.models import BusinessHours, Department, Service, ServiceQuestion
from civicdesk.core.translation import save_translations
from civicdesk.knowledge.models import Article, Category


class TranslatedFactory(factory.django.DjangoModelFactory):
    """For models with translated texts (django-parler): ``title="..."`` is the default
    language's text and ``title_es="..."`` the Spanish one, as tests have always written
    them; any ``<field>_<code>`` of the agency's languages works."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        meta = getattr(model_class, "_parler_meta", None)
        if meta is None:
            return super()._create(model_class, *args, **kwargs)
        from django.conf import settings

        fields = list(meta.get_all_fields())
        texts: dict[str, dict[str, str]] = {}
        for code, _name in settings.LANGUAGES:
            for f in fields:
                key = f if code == settings.LANGUAGE_CODE else f"{f}_{code}"
                if key in kwargs:
                    texts.setdefault(code, {})[f] = kwargs.pop(key) or ""
        default = texts.get(settings.LANGUAGE_CODE, {})
        for code, values in list(texts.items()):
            if code != settings.LANGUAGE_CODE:
                if not values.get(fields[0]):
                    texts.pop(code)
                else:
                    texts[code] = {f: values.get(f) or default.get(f, "") for f in fields}
        lookup = cls._meta.django_get_or_create
        if lookup:
            key = {k: kwargs.pop(k) for k in lookup if k in kwargs}
            obj, created = model_class._default_manager.get_or_create(**key, defaults=kwargs)
            if not created:
                return obj
        else:
            obj = model_class._default_manager.create(*args, **kwargs)
        save_translations(obj, texts)
        return obj


class DepartmentFactory(TranslatedFactory):
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


class ServiceFactory(TranslatedFactory):
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


class QuestionFactory(TranslatedFactory):
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


class CategoryFactory(TranslatedFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "general"
    name = "General"
    name_es = "General"


class ArticleFactory(TranslatedFactory):
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
