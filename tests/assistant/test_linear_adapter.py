"""The linear adapter on e5's vectors (adapt.adapt_linear): its gradient is the loss's
(checked against finite differences), learning lowers the loss on the agency's pairs, the
engine uses it and calibrates on texts it never saw, and the weights are reused by the next
engine with the same knowledge."""

import numpy as np
import pytest

from civicdesk.assistant.adapt import LinearAdapter, _linear_step, adapt_linear
from civicdesk.assistant.encoders import AdaptedEncoder, E5Encoder
from civicdesk.assistant.engine import Engine, Entry


def test_the_gradient_is_the_losses():
    rng = np.random.default_rng(3)
    a, p = rng.normal(size=(6, 5)), rng.normal(size=(6, 5))
    weight, bias = np.eye(5) + 0.1 * rng.normal(size=(5, 5)), 0.1 * rng.normal(size=5)
    loss, gw, gb = _linear_step(weight, bias, a, p, 20.0)
    eps = 1e-6
    for i, j in [(0, 0), (1, 3), (4, 2)]:
        w2 = weight.copy()
        w2[i, j] += eps
        assert (_linear_step(w2, bias, a, p, 20.0)[0] - loss) / eps == pytest.approx(gw[i, j], rel=1e-3, abs=1e-6)
    b2 = bias.copy()
    b2[2] += eps
    assert (_linear_step(weight, b2, a, p, 20.0)[0] - loss) / eps == pytest.approx(gb[2], rel=1e-3, abs=1e-6)


def test_the_identity_changes_nothing():
    v = np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert np.allclose(LinearAdapter(np.eye(4), np.zeros(4))(v), v, atol=1e-6)


TOPICS = {
    "trash": ["When is my trash picked up?", "What day does the garbage truck come?", "Trash collection day",
              "Garbage pickup schedule", "Which day is bin day on my street?", "When do they empty the trash carts?"],
    "permit": ["How do I get a parking permit?", "Residential parking sticker", "Apply for a street parking permit",
               "Where do I buy a parking pass for my block?", "Parking permit for residents", "Renew my parking permit"],
    "pothole": ["There is a pothole on my street", "Report a hole in the road", "Pavement is broken",
                "Big crack and hole in the asphalt", "Road damage in front of my house", "Pothole near the school"],
    "dog": ["A dog is barking all night", "Neighbor's dog will not stop barking", "Noise from a barking dog",
            "Complain about a loud dog", "Barking dog next door", "Dog barks for hours"],
}


@pytest.fixture(scope="module")
def e5():
    return E5Encoder(1)


def test_learning_brings_a_topics_texts_together_and_is_kept(e5, tmp_path):
    entries = [Entry(label, text, "example") for label, texts in TOPICS.items() for text in texts]
    adapter, info = adapt_linear(e5, entries, epochs=5, batch_size=4, cache_dir=tmp_path, base_name="e5")
    assert info["steps"] > 0 and info["loss"]["last"] < info["loss"]["first"]
    before = e5.embed([e.text for e in entries])
    after = adapter(before)
    labels = np.array([e.label for e in entries])
    same = labels[:, None] == labels[None, :]

    def margin(v):  # mean similarity within a topic minus across topics
        s = v @ v.T
        return s[same & ~np.eye(len(v), dtype=bool)].mean() - s[~same].mean()
    assert margin(after) > margin(before) + 0.05
    again, info2 = adapt_linear(e5, entries, epochs=5, batch_size=4, cache_dir=tmp_path, base_name="e5")
    assert info2["cached"] and info2["steps"] == 0
    assert np.allclose(again.weight, adapter.weight)


def test_the_engine_adapts_e5_and_answers_through_it(e5, tmp_path):
    entries = [Entry(label, text, "example") for label, texts in TOPICS.items() for text in texts]
    engine = Engine(entries, encoder=e5, adapt=True, adapt_cache=str(tmp_path), encoder_name="e5")
    assert engine.linear and isinstance(engine.encoder, AdaptedEncoder)
    assert engine.adaptation["steps"] > 0
    result = engine.rank("my garbage was not taken, what day do they come")
    assert result.best.label == "trash"
