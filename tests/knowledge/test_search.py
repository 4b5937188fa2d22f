"""Portal search across articles and services, on the database the suite runs on (SQLite FTS5
in one pass, PostgreSQL full-text in the other): typos, plurals, synonyms, Spanish."""

import pytest

from civicdesk.knowledge.models import Article, Synonym
from civicdesk.knowledge.search import search
from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(db):
    trash = ArticleFactory(slug="trash-day")
    vote = ArticleFactory(slug="register-to-vote", title="How do I register to vote?",
                          title_es="¿Cómo me registro para votar?",
                          summary="Register online or at the City Clerk's office.",
                          summary_es="Regístrese en línea o en la Secretaría Municipal.",
                          body="Bring a photo ID and proof of address.",
                          body_es="Traiga identificación con foto.")
    draft = ArticleFactory(slug="secret-draft", title="Unannounced dumpster program",
                           status=Article.Status.DRAFT)
    pothole = ServiceFactory(service_code="pothole", name="Pothole", name_es="Bache",
                             description="A hole in the street.", keywords="pothole,road")
    Synonym.objects.create(language="en", terms="trash, garbage, rubbish")
    return {"trash": trash, "vote": vote, "draft": draft, "pothole": pothole}


def titles(q, language="en"):
    return [h.title for h in search(q, language).hits]


def test_finds_articles_and_services_by_their_words(kb):
    assert titles("register vote") == ["How do I register to vote?"]
    hits = search("pothole", "en").hits
    assert [(h.kind, h.title, h.url) for h in hits] == [("service", "Pothole", "/services/pothole/")]


def test_plurals_and_word_forms_meet(kb):
    assert "Pothole" in titles("potholes")
    assert "How do I register to vote?" in titles("registering voters")


def test_a_typo_is_corrected_and_said(kb):
    results = search("registr to vote", "en")
    assert [h.title for h in results.hits] == ["How do I register to vote?"]
    assert results.corrected == "register to vote"
    garbage = search("garbaje", "en")  # a synonym's spelling, then the synonym
    assert (garbage.corrected, [h.title for h in garbage.hits]) == (
        "garbage", ["When is my trash collected?"])


def test_synonyms_from_the_synonym_list(kb):
    assert titles("garbage") == ["When is my trash collected?"]
    assert titles("rubbish collected") == ["When is my trash collected?"]


def test_spanish_with_or_without_accents(kb):
    assert titles("registro votar", "es") == ["¿Cómo me registro para votar?"]
    assert titles("cuando recogen basura", "es") == ["¿Cuándo recogen mi basura?"]
    assert "Bache" in titles("baches", "es")


def test_drafts_and_unpublished_articles_are_not_found(kb):
    assert titles("dumpster program") == []
    kb["vote"].status = Article.Status.DRAFT
    kb["vote"].save()
    assert titles("register vote") == []


def test_edits_are_searchable_at_once(kb):
    kb["trash"].title = "Recycling carts and collection days"
    kb["trash"].save()
    assert titles("recycling carts") == ["Recycling carts and collection days"]


def test_falls_back_to_any_word_when_all_words_match_nothing(kb):
    assert titles("vote unicorn") == ["How do I register to vote?"]


def test_hostile_queries_are_just_words(kb):
    for q in ['"', "NEAR(", "a AND OR NOT", "' OR 1=1 --", "\x00", "*" * 500, "register) | (vote"]:
        search(q, "en")  # no syntax error from FTS5 or to_tsquery
    assert search("", "en").hits == []
