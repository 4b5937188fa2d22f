"""The assistant's engine and its evaluation command, on small knowledge bases written here."""

import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from civicdesk.assistant.engine import Engine, Entry, entries_for_article

ARTICLES = [
    ("trash", "When is my trash picked up?", "Trash is collected weekly on your pickup day.",
     "Put the cart at the curb by 6 a.m. Holidays move pickup one day later."),
    ("vote", "How do I register to vote?", "Register online or at the City Clerk.",
     "You must be a citizen and 18 by election day. Bring a photo ID."),
    ("dog", "Dog licenses", "Dogs over four months need a yearly license.",
     "License online or at the animal shelter with a rabies certificate."),
    ("tax", "Paying property tax", "Property tax is billed by the county twice a year.",
     "Installments are due June 1 and September 1. Seniors may get exemptions."),
]
EXAMPLES = [
    ("trash", "garbage truck did not come"), ("trash", "what day is garbage collection"),
    ("vote", "where do I sign up to vote"), ("vote", "voter registration deadline"),
    ("dog", "does my puppy need a tag"), ("dog", "pet license fee"),
    ("tax", "when is the property tax due"), ("tax", "how much is my real estate tax"),
]


def engine(with_examples=True, **kw):
    entries = [e for slug, title, summary, body in ARTICLES
               for e in entries_for_article(slug, title, summary, body)]
    if with_examples:
        entries += [Entry(label, text) for label, text in EXAMPLES]
    return Engine(entries, **kw)


def test_ranks_the_article_that_answers_the_question():
    e = engine()
    for question, expected in [("when does the garbage get picked up", "trash"),
                               ("I want to register so I can vote", "vote"),
                               ("my puppy needs a license tag", "dog"),
                               ("property taxes due date", "tax"),
                               ("registr to vote", "vote")]:  # a typo
        result = e.rank(question)
        assert result.best.label == expected, question
        assert result.confident, question


def test_refuses_what_the_agency_never_wrote_about():
    e = engine()
    for question in ["what is the capital of france", "recommend a good pizza place",
                     "my knee hurts when I run"]:
        result = e.rank(question)
        assert not result.confident, (question, result.support, result.threshold)


def test_the_threshold_comes_from_the_training_texts():
    a, b = engine(), engine(with_examples=False)
    assert 0 < a.threshold < 1 and 0 < b.threshold < 1
    assert a.threshold != b.threshold  # derived from what was entered, not a constant
    assert engine(threshold=0.99).rank("garbage collection schedule").confident is False


def test_synonyms_entered_by_the_agency_count():
    plain = engine(with_examples=False)
    with_synonyms = engine(with_examples=False, synonyms=[("en", ["trash", "rubbish"])])
    question = "rubbish collection schedule"
    assert with_synonyms.rank(question).best.label == "trash"
    assert with_synonyms.rank(question).best.score > plain.rank(question).best.score


def test_spanish_questions_meet_spanish_articles():
    entries = list(entries_for_article("trash", "¿Cuándo recogen mi basura?",
                                       "La basura se recoge cada semana.", "", "es"))
    entries += list(entries_for_article("vote", "¿Cómo me registro para votar?",
                                        "Regístrese en línea.", "", "es"))
    e = Engine(entries)
    assert e.rank("cuando pasan a recoger la basura", "es").best.label == "trash"
    assert e.rank("registrarme para las votaciones", "es").best.label == "vote"


@pytest.fixture
def pack(tmp_path):
    return write_pack(tmp_path)


def write_pack(tmp_path):
    """A small pack folder in the format of ../shared/eval/: 4 articles, 7 questions."""
    with open(tmp_path / "articles.jsonl", "w") as f:
        for slug, title, summary, body in ARTICLES:
            f.write(json.dumps({"id": slug, "title": title, "body": f"{summary} {body}",
                                "category": "", "language": "en"}) + "\n")
    with open(tmp_path / "examples.jsonl", "w") as f:
        for label, text in EXAMPLES:
            f.write(json.dumps({"text": text, "label": label, "language": "en"}) + "\n")
    questions = [("when is trash pickup", "trash"), ("sign up to vote", "vote"),
                 ("license for my dog", "dog"), ("property tax due", "tax"),
                 ("when is trash pickup day", "vote"),  # mislabeled on purpose: one miss
                 ("best sushi downtown", "out_of_scope"), ("how tall is mount everest", "out_of_scope")]
    with open(tmp_path / "questions.jsonl", "w") as f:
        for text, expected in questions:
            f.write(json.dumps({"text": text, "expected": expected, "language": "en"}) + "\n")
    return tmp_path


def test_evaluate_a_pack_in_both_modes(pack, tmp_path, capsys):
    out = tmp_path / "report.json"
    call_command("assistant", "evaluate", str(pack), "--json", str(out), "--encoder", "")
    printed = capsys.readouterr().out
    reports = json.loads(out.read_text())
    assert [r["mode"] for r in reports] == [f"{pack.name}, with examples",
                                            f"{pack.name}, articles only"]
    with_examples = reports[0]
    assert (with_examples["questions"], with_examples["in_scope"], with_examples["out_of_scope"]) == (7, 5, 2)
    assert with_examples["accuracy_at_1"] == 0.8  # 4 of 5: the mislabeled one misses
    assert with_examples["accuracy_at_3"] >= 0.8
    assert with_examples["oos_recall"] == 1.0  # both out-of-scope questions refused
    assert with_examples["latency_p95_ms"] > 0
    assert "accuracy@1 0.800" in printed and "out of scope:" in printed


def test_evaluate_against_this_installation_uses_slugs_and_codes(db, tmp_path, capsys):
    from tests.factories import ArticleFactory, ServiceFactory

    ArticleFactory(slug="trash-day")
    ServiceFactory(service_code="pothole", name="Pothole", description="A hole in the street.",
                   keywords="pothole, road")
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in [
        {"text": "when is my trash collected", "expected": "trash-day"},
        {"text": "big pothole in the road", "expected": "pothole"},
        {"text": "what is the capital of peru", "expected": "out_of_scope"}]))
    call_command("assistant", "evaluate", str(questions), "--encoder", "")
    printed = capsys.readouterr().out
    assert "3 questions (2 in scope, 1 out of scope)" in printed
    assert "accuracy@1 1.000" in printed
    questions.write_text(json.dumps({"text": "x", "expected": "no-such-article"}))
    with pytest.raises(CommandError, match="Unknown label 'no-such-article'"):
        call_command("assistant", "evaluate", str(questions), "--encoder", "")


def test_evaluate_says_what_is_wrong_with_its_input(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("assistant", "evaluate", str(tmp_path / "missing.jsonl"))
    (tmp_path / "articles.jsonl").write_text("{not json\n")
    (tmp_path / "questions.jsonl").write_text("")
    with pytest.raises(CommandError, match="articles.jsonl:1: not JSON"):
        call_command("assistant", "evaluate", str(tmp_path), "--encoder", "")


def test_a_labels_support_is_the_mean_of_its_nearest_texts():
    e = engine()
    sims = np.zeros(len(e.entries))
    trash = [i for i, x in enumerate(e.entries) if x.label == "trash"]
    sims[trash[0]], sims[trash[1]], sims[trash[2]] = 0.9, 0.7, 0.2
    support = e._nearest_mean_per_label(sims, k=2)
    assert support[e.label_index["trash"]] == pytest.approx(0.8)
    assert support[e.label_index["vote"]] == 0.0
    # the text left out (calibration) does not count: the next two do
    left_out = e._nearest_mean_per_label(sims, exclude=trash[0], k=2)
    assert left_out[e.label_index["trash"]] == pytest.approx(0.45)
    # a label with a single text is supported by that text alone
    single = Engine([Entry("a", "alpha text"), Entry("b", "beta text"), Entry("b", "beta two")])
    one = np.array([0.6, 0.5, 0.3])
    assert single._nearest_mean_per_label(one, k=2)[single.label_index["a"]] == pytest.approx(0.6)
