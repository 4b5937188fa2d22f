"""Languages as configuration: a new language is a settings line and a translation file,
never a migration; texts written before (``name`` / ``name_es`` columns) move into the
translation tables without loss."""

import json
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from civicdesk.core import languages
from civicdesk.core.translation import localized, save_translations
from tests.factories import ServiceFactory

FRENCH_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"

msgid "Target time to resolve"
msgstr "Délai visé de résolution"

msgid "Chat with us"
msgstr "Discuter avec nous"
'''


@pytest.fixture
def french(settings, tmp_path):
    """What an administrator does (docs/translation.md): add "fr" to CIVICDESK_LANGUAGES and
    put a compiled translation file in a locale folder."""
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext's msgfmt is needed (make messages uses it too)")
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(FRENCH_PO, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True)
    settings.LANGUAGES = [*languages.parse("en,es"), *languages.parse("fr")]
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    from django.utils.translation import trans_real

    def forget():  # Django keeps what it learnt about the languages per process
        trans_real._translations = {}
        for cached in (trans_real.get_languages, trans_real.check_for_language,
                       trans_real.get_supported_language_variant):
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()

    forget()
    yield
    forget()


@pytest.mark.django_db
def test_a_new_language_is_a_settings_line_and_a_translation_file(french, capsys):
    service = ServiceFactory(service_code="pothole", name="Pothole", description="A hole in the street.")
    save_translations(service, {"fr": {"name": "Nid-de-poule", "description": "Un trou dans la rue.",
                                       "group": "Rues"}})
    page = Client(headers={"Accept-Language": "fr"}).get("/services/pothole/").content.decode()
    assert '<html lang="fr"' in page
    assert "Nid-de-poule" in page and "Un trou dans la rue." in page  # the content
    assert "Délai visé de résolution" in page  # the interface, from the translation file
    # The chat widget's words come from the same file: embedded in the page, and served to a
    # widget on another site.
    embedded = re.search(r'<script id="civicdesk-chat-strings" type="application/json">(.*?)</script>', page, re.S)
    widget = json.loads(embedded.group(1))
    assert (widget["lang"], widget["dir"], widget["open"]) == ("fr", "ltr", "Discuter avec nous")
    served = Client().get("/chat/config/?language=fr").json()["strings"]
    assert served["open"] == "Discuter avec nous"
    # A reader of a language the service was not written in gets the default language.
    assert localized(service, "name", "es").startswith("Servicio ")
    service_without_french = ServiceFactory(name="Graffiti")
    assert localized(service_without_french, "name", "fr") == "Graffiti"
    # No migration: the models do not know which languages exist.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_unknown_language_codes_are_refused_at_start():
    from django.core.exceptions import ImproperlyConfigured

    parsed = languages.parse("en, es,fr ,zh-hans,vi,ar,es")
    assert [code for code, _name in parsed] == ["en", "es", "fr", "zh-hans", "vi", "ar"]
    assert dict(parsed)["fr"] == "français" and dict(parsed)["zh-hans"] == "简体中文"  # each in itself
    with pytest.raises(ImproperlyConfigured, match="klingon"):
        languages.parse("en,klingon")


@pytest.mark.django_db(transaction=True)
def test_texts_in_the_old_two_language_columns_move_without_loss():
    before = [("catalog", "0004_moderation"), ("knowledge", "0002_fulltext"),
              ("surveys", "0005_conversation_rollups_and_driver_moments"),
              ("conversations", "0004_message_conversation_no_separate_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    dept = old.get_model("catalog", "Department").objects.create(slug="parks", name="Parks", name_es="Parques")
    old.get_model("catalog", "Service").objects.create(
        service_code="tree", department=dept, name="Fallen tree", name_es="Árbol caído", description="A tree fell.",
        description_es="", group="Parks", group_es="Parques", emergency_notice="Call 911.")
    old.get_model("catalog", "Service").objects.create(
        service_code="notice-only", department=dept, name="Gas leak", name_es="", description="Smell of gas.",
        description_es="", group="Water", group_es="", emergency_notice="Leave now.", emergency_notice_es="Salga ya.")
    category = old.get_model("knowledge", "Category").objects.create(slug="general", name="General", name_es="")
    article = old.get_model("knowledge", "Article").objects.create(
        slug="trees", category=category, title="Trees", title_es="Árboles", summary="About trees.",
        summary_es="Sobre árboles.", body="Body", body_es="Cuerpo")
    old.get_model("knowledge", "ArticleRevision").objects.create(
        article=article, number=1, status="published", title="Trees", title_es="Árboles", summary="About trees.",
        summary_es="Sobre árboles.", body="Body", body_es="Cuerpo")
    old.get_model("conversations", "CannedResponse").objects.create(title="Hi", body="Hello", body_es="Hola")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from civicdesk.catalog.models import Department, Service
    from civicdesk.conversations.models import CannedResponse
    from civicdesk.knowledge.models import Article, ArticleRevision, Category

    tree = Service.objects.get(service_code="tree")
    assert {t.language_code: (t.name, t.description, t.group, t.emergency_notice) for t in tree.translations.all()} == {
        "en": ("Fallen tree", "A tree fell.", "Parks", "Call 911."),
        # an untranslated field keeps showing the English text, as it did before
        "es": ("Árbol caído", "A tree fell.", "Parques", "Call 911.")}
    assert {t.language_code: t.name for t in Department.objects.get(slug="parks").translations.all()} == {
        "en": "Parks", "es": "Parques"}
    # Spanish text in any field is kept, even without a Spanish name (safety notices above all)
    notice_only = Service.objects.get(service_code="notice-only")
    assert localized(notice_only, "emergency_notice", "es") == "Salga ya."
    assert localized(notice_only, "name", "es") == "Gas leak"
    # no Spanish at all: no Spanish translation, the reader falls back to English
    assert [t.language_code for t in Category.objects.get(slug="general").translations.all()] == ["en"]
    article = Article.objects.get(slug="trees")
    assert localized(article, "body", "es") == "Cuerpo" and localized(article, "title", "en") == "Trees"
    assert ArticleRevision.objects.get().texts == {
        "en": {"title": "Trees", "summary": "About trees.", "body": "Body"},
        "es": {"title": "Árboles", "summary": "Sobre árboles.", "body": "Cuerpo"}}
    assert localized(CannedResponse.objects.get(), "body", "es") == "Hola"


@pytest.mark.django_db
def test_a_right_to_left_language_turns_the_page_around(settings):
    from django.utils.translation import trans_real

    def forget():
        for cached in (trans_real.get_languages, trans_real.check_for_language,
                       trans_real.get_supported_language_variant):
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()

    settings.LANGUAGES = [*languages.parse("en,es,ar")]
    forget()
    try:
        page = Client(headers={"Accept-Language": "ar"}).get("/").content.decode()
        assert '<html lang="ar" dir="rtl">' in page
        # More than two languages: the switch lists each, named in itself.
        assert '<option value="ar" lang="ar" selected>العربيّة</option>' in page
        assert '<option value="es" lang="es">Español</option>' in page
    finally:
        forget()


@pytest.mark.django_db
def test_the_administration_edits_every_translated_model(client, department):
    """Parler's language tabs on every translated model's admin pages (they need each
    model's queryset to be translatable)."""
    from civicdesk.conversations.models import CannedResponse
    from civicdesk.surveys.models import Survey
    from tests.factories import ArticleFactory, QuestionFactory, StaffFactory

    service = ServiceFactory(department=department)
    QuestionFactory(service=service)
    article = ArticleFactory()
    canned = CannedResponse.objects.create(title="Hi", body="Hello")
    survey = Survey.objects.first() or Survey.objects.create(slug="s", name="S")
    client.force_login(StaffFactory(role="administrator", is_superuser=True, all_departments=True))
    for path in ["catalog/service", "catalog/department", "knowledge/article", "knowledge/category",
                 "surveys/survey", "conversations/cannedresponse"]:
        assert client.get(f"/admin/{path}/").status_code == 200, path
    for path, pk in [("catalog/service", service.pk), ("catalog/department", department.pk),
                     ("knowledge/article", article.pk), ("knowledge/category", article.category_id),
                     ("surveys/survey", survey.pk), ("conversations/cannedresponse", canned.pk)]:
        for language in ("en", "es"):
            response = client.get(f"/admin/{path}/{pk}/change/?language={language}")
            assert response.status_code == 200, (path, language)
