"""Adapting the encoder to the agency's own texts (assistant/adapt.py), with the real
all-MiniLM-L6-v2 weights. Skips like test_encoder.py when the extra is missing, except in CI."""

import time

import numpy as np
import pytest

from civicdesk.assistant import brain
from civicdesk.assistant.adapt import adapt, batches, pairs
from civicdesk.assistant.engine import Engine, Entry

from .test_encoder import MODEL, encoder  # noqa: F401  (the module-scoped fixture)

pytestmark = pytest.mark.skipif(MODEL is None, reason="the encoder extra is not installed "
                                "(pip install -e '.[encoder]')")

# Three topics a general encoder finds close (all about paying the city something).
TOPICS = {
    "water-bill": ["How do I pay my water bill?", "Pay the water utility online",
                   "Where can I settle my water and sewer charges?",
                   "water bill payment options"],
    "parking-ticket": ["How do I pay a parking ticket?", "Pay a parking citation online",
                       "I got a parking fine, where do I pay it?",
                       "parking ticket payment"],
    "property-tax": ["How do I pay my property tax?", "Property tax installments",
                     "When is the real estate tax due?", "pay property taxes online"],
}


def entries():
    return [Entry(label, text, "example") for label, texts in TOPICS.items() for text in texts]


def similarity(model):
    """Mean cosine similarity of texts of the same topic, and of different topics."""
    texts = [t for ts in TOPICS.values() for t in ts]
    labels = np.array([label for label, ts in TOPICS.items() for _ in ts])
    e = np.asarray(model.encode(texts, normalize_embeddings=True))
    sims = e @ e.T
    same = labels[:, None] == labels[None, :]
    off_diagonal = ~np.eye(len(texts), dtype=bool)
    return float(sims[same & off_diagonal].mean()), float(sims[~same].mean())


def test_adapting_pulls_a_topics_texts_together_and_topics_apart(encoder, tmp_path):  # noqa: F811
    before_same, before_other = similarity(encoder.model)
    reference = encoder.model.encode(["pay my water bill"], normalize_embeddings=True)

    adapted, info = adapt(encoder.model, entries(), epochs=3, cache_dir=tmp_path, base_name=MODEL)

    after_same, after_other = similarity(adapted)
    assert info["steps"] > 0 and not info["cached"]
    assert after_same - after_other > before_same - before_other + 0.05
    # the shared encoder the rest of the process uses is left as it was
    assert np.allclose(encoder.model.encode(["pay my water bill"], normalize_embeddings=True),
                       reference, atol=1e-6)


def test_adapted_weights_are_reused_while_the_knowledge_is_unchanged(encoder, tmp_path):  # noqa: F811
    first, info = adapt(encoder.model, entries(), cache_dir=tmp_path, base_name=MODEL)
    assert not info["cached"]
    assert [p.name for p in tmp_path.iterdir()][0].startswith("adapted-")

    again, info = adapt(encoder.model, entries(), cache_dir=tmp_path, base_name=MODEL)
    assert info["cached"] and info["steps"] == 0
    text = ["where do I pay a parking fine"]
    assert np.allclose(first.encode(text), again.encode(text), atol=1e-5)

    changed = entries() + [Entry("parking-ticket", "contest a parking ticket", "example")]
    _, info = adapt(encoder.model, changed, cache_dir=tmp_path, base_name=MODEL)
    assert not info["cached"] and info["steps"] > 0  # new knowledge: trained again
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("adapted-")]) == 2


def test_too_little_to_learn_from_leaves_the_encoder_as_it_is(encoder, tmp_path):  # noqa: F811
    only_titles = [Entry("a", "Trash pickup", "title"), Entry("b", "Voting", "title")]
    same, info = adapt(encoder.model, only_titles, cache_dir=tmp_path)
    assert same is encoder.model and info["steps"] == 0
    assert not any(tmp_path.iterdir())


def test_pairs_and_batches_never_put_one_topic_twice_in_a_batch():
    all_pairs = pairs(entries())
    assert len(all_pairs) == 12 and all(a != b for _, a, b in all_pairs)
    for batch in batches(all_pairs, size=2):
        labels = [next(label for label, ts in TOPICS.items() if a in ts) for a, _ in batch]
        assert len(labels) == len(set(labels))
    assert sum(len(b) for b in batches(all_pairs, size=2)) == 12  # none left out


def test_the_product_adapts_from_the_settings_and_keeps_the_weights(encoder, settings,  # noqa: F811
                                                                     transactional_db, tmp_path):
    # transactional: the background thread reads the articles on its own connection
    from tests.factories import ArticleFactory

    settings.CIVICDESK_ASSISTANT_ENCODER = MODEL
    settings.CIVICDESK_ASSISTANT_ADAPT_DIR = str(tmp_path)
    ArticleFactory(title="How do I pay my water bill?", summary="Pay the water utility online.")
    ArticleFactory(title="How do I pay a parking ticket?", summary="Pay a citation online.")
    brain.holder.reset()
    # the first question does not wait for the adaptation: it is answered with the plain
    # encoder while a background thread adapts, and the adapted engine then takes over
    first = brain.holder.get()
    assert first.adaptation["pending"] and first.encoder is encoder
    assert first.rank("pay my water bill").best is not None
    deadline = time.monotonic() + 120
    while brain.holder.engine is first and time.monotonic() < deadline:
        time.sleep(0.1)
    engine = brain.holder.get()
    assert engine is not first
    assert engine.adaptation["steps"] > 0
    assert engine.encoder is not encoder
    assert any(p.name.startswith("adapted-") for p in tmp_path.iterdir())

    # a new process (or a restart) with the same knowledge: the cached weights, at once
    brain.holder.reset()
    again = brain.holder.get()
    assert again.adaptation["cached"] and not again.adaptation["pending"]

    settings.CIVICDESK_ASSISTANT_ADAPT = False
    brain.holder.reset()
    assert brain.holder.get().adaptation is None
    brain.holder.reset()


def test_retrain_says_what_adapting_did_and_then_reuses_it(encoder, settings, db, tmp_path,  # noqa: F811
                                                           capsys):
    from django.core.management import call_command

    from tests.factories import ArticleFactory

    settings.CIVICDESK_ASSISTANT_ENCODER = MODEL
    settings.CIVICDESK_ASSISTANT_ADAPT_DIR = str(tmp_path)
    ArticleFactory(title="How do I pay my water bill?", summary="Pay the water utility online.")
    ArticleFactory(title="How do I pay a parking ticket?", summary="Pay a citation online.")
    call_command("assistant", "retrain")
    assert "Encoder adapted on" in capsys.readouterr().out
    call_command("assistant", "retrain")  # another process, or a restart: same knowledge
    assert "Encoder adapted: weights from the cache." in capsys.readouterr().out
    brain.holder.reset()


def test_evaluating_a_pack_adapts_as_the_product_does_unless_told_not_to(encoder, tmp_path,  # noqa: F811
                                                                        capsys, settings):
    import json

    from django.core.management import call_command

    from .test_engine import write_pack

    folder = tmp_path / "pack"
    folder.mkdir()
    write_pack(folder)
    settings.CIVICDESK_ASSISTANT_ADAPT_DIR = str(tmp_path / "cache")
    out = tmp_path / "r.json"
    call_command("assistant", "evaluate", str(folder), "--mode", "examples", "--encoder", MODEL,
                 "--json", str(out))
    printed = capsys.readouterr().out
    assert "(adapted: " in printed
    assert json.loads(out.read_text())[0]["oos_recall"] == 1.0
    call_command("assistant", "evaluate", str(folder), "--mode", "examples", "--encoder", MODEL,
                 "--adapt", "0")
    assert "adapted" not in capsys.readouterr().out


def test_nothing_to_adapt_on_calibrates_exactly_as_without_adapting(encoder, tmp_path):  # noqa: F811
    # a new agency with articles only: one title per topic, no pairs to learn from
    articles = [Entry(f"topic-{n}", f"Topic number {n} of the city", "title") for n in range(60)]
    articles += [Entry(f"topic-{n}", f"Everything about city topic {n} and its rules.", "body")
                 for n in range(60)]
    adapted = Engine(articles, encoder=encoder, adapt=True, adapt_cache=str(tmp_path))
    plain = Engine(articles, encoder=encoder)
    assert adapted.adaptation["held_out"] == 0 and adapted.encoder is encoder
    assert adapted.calibration_pool == plain.calibration_pool
    assert adapted.threshold == plain.threshold


def test_an_adapted_engine_answers_by_the_nearest_topic_and_its_median_rule(encoder, tmp_path):  # noqa: F811
    # enough example questions that a fifth can be held out of the adaptation to calibrate on
    subjects = ["trash pickup", "a pothole", "a parking ticket", "my water bill", "a dog license",
                "voter registration", "a building permit", "property tax", "a noisy party",
                "a broken streetlight", "bulk item pickup", "a fallen tree"]
    forms = ["Who do I call about {}?", "I have a question about {}", "Help with {} please",
             "What should I know about {}?", "Tell me about {}"]
    entries = [Entry(s, f.format(s), "example") for s in subjects for f in forms]
    entries += [Entry(s, s.capitalize(), "title") for s in subjects]
    engine = Engine(entries, encoder=encoder, adapt=True, adapt_cache=str(tmp_path))
    assert engine.adapted and engine.adaptation["held_out"] >= 10
    assert engine.threshold == pytest.approx(
        Engine.ADAPTED_SUPPORT_SHARE_OF_MEDIAN * float(np.median(engine.calibration)))

    question = "the streetlight on my block is broken"
    result = engine.rank(question)
    # the support, computed here from the adapted encoder's own embeddings: per topic, the
    # mean of its two most similar texts; the question's support is its nearest topic's
    q = engine.encoder.model.encode([question], normalize_embeddings=True)[0]
    sims = engine.embeddings @ q
    per_topic = [np.sort(sims[engine.entry_label == i])[-2:].mean()
                 for i in range(len(engine.labels))]
    assert result.support == pytest.approx(max(per_topic), abs=1e-5)
    assert result.best.label == "a broken streetlight" and result.confident
    assert not engine.rank("what is the capital of Mongolia").confident
