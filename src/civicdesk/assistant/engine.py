"""The assistant's understanding: which article or service a question is about, or none.

Pure Python + NumPy + scikit-learn, no Django, so the evaluation command, the benchmark and
the product run exactly the same code. Trained from what the agency enters:

- every article's title, summary and body sentences, every service's name, description and
  keywords, and every example question supervisors added (`Entry` rows);
- two views of each text: stemmed words and word pairs, and character n-grams (typos).

A question is scored per label (an article or a service) by:
1. a linear intent model (scikit-learn's LinearSVC, one-vs-rest) trained on those texts;
2. the nearest training text (cosine similarity, best per label);
3. BM25 over each label's whole text (title, body, keywords, examples): recall on articles
   that have no examples yet;
4. optionally, a sentence encoder (all-MiniLM-L6-v2 or any sentence-transformers model from a
   local path): its embeddings join the intent model's features, and the nearest training
   text in embedding space scores paraphrases that share no word with anything. By default
   a copy of the encoder is first fine-tuned on the agency's own texts (`adapt.py`).

The ranking blends these with fixed weights. Whether to answer at all is a separate
question: the *support* (how close the question is to something the agency wrote: nearest
text and BM25 for the best label; with an adapted encoder, the mean of the two nearest texts
of the question's nearest label) must clear the engine's own threshold, derived from the
supports its own training texts get by leave-one-out. It is never tuned on residents'
questions. Below it the assistant says it has no answer and
offers a person.
"""

from __future__ import annotations

import math
import re
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from civicdesk.core.text import fold, terms, words

from .encoders import AdaptedEncoder, Encoder, SentenceTransformerEncoder

SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Entry:
    """One training text: `label` is what it points to (for example `article:12`)."""

    label: str
    text: str
    kind: str = "example"  # title | summary | body | keyword | example
    language: str = "en"


@dataclass
class Match:
    label: str
    score: float  # combined confidence, 0..1


@dataclass
class Result:
    matches: list[Match]  # best first
    confident: bool  # the best match's support clears the engine's threshold
    threshold: float
    support: float = 0.0
    elapsed_ms: float = 0.0

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


def sentences(body: str, limit: int = 40) -> list[str]:
    parts = [s.strip() for s in SENTENCE.split(body or "") if len(s.strip()) > 12]
    return parts[:limit]


def entries_for_article(label, title, summary="", body="", language="en", keywords=""):
    yield Entry(label, title, "title", language)
    if summary:
        yield Entry(label, summary, "summary", language)
    for s in sentences(body):
        yield Entry(label, s, "body", language)
    for k in (keywords or "").split(","):
        if k.strip():
            yield Entry(label, k.strip(), "keyword", language)


class Engine:
    # Fixed blend weights (docs/assistant.md); chosen once on development data, not per agency.
    KIND_WEIGHT = {"title": 1.0, "example": 1.0, "summary": 0.95, "keyword": 0.9, "body": 0.3}
    # The answering floor: this share of the weakest own-label support seen by leave-one-out.
    SUPPORT_PERCENTILE = 1.0
    SUPPORT_MARGIN = 0.85
    # With an adapted encoder the calibration texts are ones it never saw (held out of the
    # adaptation), so their supports are honest samples of answerable questions, and the
    # floor is a share of their *median*: 400 texts' middle moves far less from one
    # knowledge base to the next than their weakest 1-2% (four to eight texts). The share
    # was chosen once on the development packs (docs/assistant.md), not per agency.
    ADAPTED_SUPPORT_SHARE_OF_MEDIAN = 0.64
    # ... and with e5 behind a linear adapter (adapt.adapt_linear): on clinc150 and
    # quebec-faq together 0.70 keeps quebec's out-of-scope F1 where plain e5 had it (0.90)
    # while clinc's goes from 0.35 to 0.64 (docs/assistant.md).
    LINEAR_SUPPORT_SHARE_OF_MEDIAN = 0.70
    # With an adapted encoder, a label's support is the mean similarity of its
    # `SUPPORT_NEAREST` closest texts: one stray text near an out-of-scope question counts
    # for less.
    SUPPORT_NEAREST = 2
    ADAPT_EPOCHS = 1  # passes over the agency's pairs when adapting the encoder (adapt.py)
    LINEAR_EPOCHS = 1  # ... when learning a linear adapter on e5's vectors instead
    # With an encoder used as it comes (multilingual-e5-small, the default), similarities
    # are read above the *background*: the median similarity of two training texts of
    # different labels. e5 puts nearly any two sentences at 0.75-0.85, so a raw 0.8 says
    # nothing; 0.8 above a background of 0.8 says "no closer than unrelated texts". The
    # floor is this share of the median own-label support, on that scale (chosen once on
    # the development packs, docs/assistant.md).
    PLAIN_SUPPORT_SHARE_OF_MEDIAN = 0.6

    def __init__(self, entries: Iterable[Entry], encoder=None, threshold: float | None = None,
                 synonyms: Iterable[tuple[str, Sequence[str]]] = (), adapt: bool = False,
                 adapt_cache: str = "", encoder_name: str = "", adapt_now: bool = True):
        """`synonyms`: (language, [word or phrase, ...]) groups the agency entered; a
        question using one of them is read as if it used them all. `adapt`: fine-tune a copy
        of the encoder on these entries first (`adapt.py`), its weights kept under
        `adapt_cache` for the next process with the same knowledge; `adapt_now=False` uses
        cached weights only and otherwise leaves `adaptation["pending"]` for later."""
        started = time.perf_counter()
        self.synonyms: dict[tuple[str, str], list[str]] = {}
        for language, group in synonyms:
            folded = [fold(t).strip() for t in group if t.strip()]
            for t in folded:
                self.synonyms[(language, t)] = folded
        self.entries = [e for e in entries if e.text and e.text.strip()]
        if not self.entries:
            raise ValueError("nothing to train on")
        # The texts that will set the answering threshold, chosen first: the encoder's
        # adaptation must not see them, or they would look closer than a new question does.
        self.calibration_pool = self._calibration_pool()
        self.adaptation: dict | None = None
        self.linear = False  # adapted by a linear map on the encoder's vectors
        if encoder is not None and not isinstance(encoder, Encoder):  # a bare model
            encoder = SentenceTransformerEncoder(encoder_name, model=encoder)
        if encoder is not None and adapt:
            from .adapt import adapt as adapt_encoder
            from .adapt import adapt_linear

            # at most a fifth of the texts held out, so a small knowledge base still has
            # most of its texts to adapt on; too few to hold out: calibrate on all of them
            kept = self._calibration_pool(sample=min(400, self._candidates() // 5))
            held_out = {self.entries[i].text for i in kept} if len(kept) >= 10 else set()
            training = [e for e in self.entries if e.text not in held_out]
            if encoder.can_adapt:  # a PyTorch model: fine-tune a copy
                model, self.adaptation = adapt_encoder(
                    encoder.model, training, epochs=self.ADAPT_EPOCHS,
                    cache_dir=adapt_cache, base_name=encoder_name, train=adapt_now)
                if model is not encoder.model:
                    encoder = SentenceTransformerEncoder(encoder.name, model=model)
            else:  # e5: a linear map on its vectors (seconds, so never left for later)
                adapter, self.adaptation = adapt_linear(
                    encoder, training, epochs=self.LINEAR_EPOCHS, cache_dir=adapt_cache,
                    base_name=encoder_name or encoder.name)
                if adapter is not None:
                    encoder = AdaptedEncoder(encoder, adapter)
                    self.linear = True
            adapted = self.adaptation["steps"] > 0 or self.adaptation["cached"]
            self.adaptation["held_out"] = len(held_out) if adapted else 0
            if self.adaptation["held_out"]:  # calibrate on exactly what it never saw
                self.calibration_pool = kept
        # adapted, and calibrated on texts the adaptation never saw: the support and floor
        # rules below that were chosen for that case apply
        self.adapted = bool(self.adaptation and self.adaptation.get("held_out"))
        self.encoder = encoder
        self.labels = sorted({e.label for e in self.entries})
        self.label_index = {label: i for i, label in enumerate(self.labels)}
        self.entry_label = np.array([self.label_index[e.label] for e in self.entries])
        self.entry_weight = np.array([self.KIND_WEIGHT.get(e.kind, 1.0) for e in self.entries])
        # each label's texts as a row of entry indexes, padded with -1 (for the k nearest)
        by_label = [np.flatnonzero(self.entry_label == i) for i in range(len(self.labels))]
        self.label_rows = np.full((len(by_label), max(map(len, by_label))), -1)
        for i, idx in enumerate(by_label):
            self.label_rows[i, :len(idx)] = idx

        texts = [e.text for e in self.entries]
        langs = [e.language for e in self.entries]
        self.word_vec = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True)
        self.char_vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
            preprocessor=fold,
        )
        w = self.word_vec.fit_transform(list(zip(texts, langs, strict=True)))
        c = self.char_vec.fit_transform(texts)
        self.matrix = normalize(sparse.hstack([w, c * 0.8]).tocsr())
        self._bm25_fit(texts, langs)
        self.embeddings = None
        self.background = 0.0
        if encoder is not None:
            self.embeddings = encoder.embed(texts)
            if not self.adapted:
                self.background = self._background()
        self._fit_intents()
        self.threshold = threshold if threshold is not None else self._calibrate()
        self.train_seconds = time.perf_counter() - started

    # --- training -------------------------------------------------------------------------
    def _features(self, lexical, embeddings):
        if embeddings is None:
            return lexical
        return sparse.hstack([lexical, sparse.csr_matrix(embeddings)]).tocsr()

    def _fit_intents(self) -> None:
        self.intents = None
        if len(self.labels) < 2:
            return
        X = self._features(self.matrix, self.embeddings)
        model = LinearSVC(C=0.5)
        with warnings.catch_warnings():  # "more classes than half the samples": by design
            warnings.simplefilter("ignore", UserWarning)
            model.fit(X, self.entry_label, sample_weight=self.entry_weight)
        self.intents = model

    def _bm25_fit(self, texts: Sequence[str], langs: Sequence[str], k1=1.2, b=0.75):
        docs: dict[int, Counter] = defaultdict(Counter)
        for text, lang, label in zip(texts, langs, self.entry_label, strict=True):
            docs[int(label)].update(terms(text, lang))
        self.bm25_vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        n = len(self.labels)
        lengths = np.array([sum(docs[i].values()) for i in range(n)], float)
        avg = lengths.mean() or 1.0
        df: Counter = Counter()
        for counts in docs.values():
            df.update(counts.keys())
        for i in range(n):
            for term, tf in docs[i].items():
                j = self.bm25_vocab.setdefault(term, len(self.bm25_vocab))
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                rows.append(j)
                cols.append(i)
                vals.append(idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[i] / avg)))
        self.bm25 = sparse.csr_matrix((vals, (rows, cols)), shape=(len(self.bm25_vocab), n))

    # --- scoring parts -------------------------------------------------------------------
    def _vector(self, text: str, language: str):
        w = self.word_vec.transform([(text, language)])
        c = self.char_vec.transform([text])
        return normalize(sparse.hstack([w, c * 0.8]).tocsr())

    def _best_per_label(self, sims: np.ndarray, exclude: int | None = None,
                        weighted: bool = True) -> np.ndarray:
        sims = sims * self.entry_weight if weighted else sims.copy()
        if exclude is not None:
            sims[exclude] = 0.0
        out = np.zeros(len(self.labels), dtype=np.float64)
        np.maximum.at(out, self.entry_label, sims)
        return out

    def _nearest_mean_per_label(self, sims: np.ndarray, exclude: int | None = None,
                                k: int = 2) -> np.ndarray:
        """Per label, the mean of its `k` highest similarities (fewer if it has fewer texts)."""
        padded = np.append(sims, -np.inf)  # index -1: padding and the left-out text
        if exclude is not None:
            padded[exclude] = -np.inf
        rows = padded[self.label_rows]
        k = min(k, rows.shape[1])
        top = -np.partition(-rows, k - 1, axis=1)[:, :k]
        present = np.isfinite(top)
        counts = present.sum(axis=1)
        sums = np.where(present, top, 0.0).sum(axis=1)
        return np.divide(sums, counts, out=np.zeros(len(self.labels)), where=counts > 0)

    def _bm25_scores(self, text: str, language: str) -> np.ndarray:
        q = [self.bm25_vocab[t] for t in dict.fromkeys(terms(text, language))
             if t in self.bm25_vocab]
        if not q:
            return np.zeros(len(self.labels))
        rows = self.bm25[q]
        raw = np.asarray(rows.sum(axis=0)).ravel()
        # Divided by the best score any label gets per term: 0..1, comparable across
        # questions, so it can take part in the support.
        ceiling = rows.max(axis=1).toarray().ravel().sum() or 1.0
        return raw / ceiling

    def _scores(self, text: str, language: str, exclude: int | None = None):
        """(ranking score, support) per label."""
        q = self._vector(text, language)
        sims = np.asarray((self.matrix @ q.T).todense()).ravel()
        nearest = self._best_per_label(sims, exclude)
        bm25 = self._bm25_scores(text, language)
        lexical_support = 0.55 * self._best_per_label(sims, exclude, weighted=False) + 0.45 * bm25
        embedding = None
        if self.embeddings is not None:
            embedding = (self.embeddings[exclude][None, :] if exclude is not None  # its own
                         else self.encoder.embed_one(text)[None, :])
        intents = np.zeros(len(self.labels))
        if self.intents is not None and exclude is None:
            decision = self.intents.decision_function(self._features(q, embedding))[0]
            intents = np.clip((decision + 1) / 2, 0, 1)
        elif self.intents is None:
            intents = nearest
        if embedding is None:
            rank = 0.5 * intents + 0.3 * nearest + 0.2 * bm25
            return rank, lexical_support
        esims = self.embeddings @ embedding[0]
        semantic = self._best_per_label(esims, exclude)
        rank = (0.5 * intents + 0.5 * semantic + 0.2 * bm25) / 1.2
        if self.adapted:
            return rank, self._nearest_mean_per_label(esims, exclude, self.SUPPORT_NEAREST)
        best = self._best_per_label(esims, exclude, weighted=False)
        return rank, (best - self.background) / (1.0 - self.background)

    # --- public --------------------------------------------------------------------------
    def expand(self, text: str, language: str) -> str:
        if not self.synonyms:
            return text
        ws = words(text)
        extra = []
        for n in (1, 2):  # words and two-word phrases
            for i in range(len(ws) - n + 1):
                group = self.synonyms.get((language, " ".join(ws[i:i + n])))
                if group:
                    extra += group
        return f"{text} {' '.join(extra)}" if extra else text

    def rank(self, text: str, language: str = "en", top: int = 3) -> Result:
        started = time.perf_counter()
        rank, support = self._scores(self.expand(text, language), language)
        order = np.argsort(-rank)[:top]
        matches = [Match(self.labels[i], float(rank[i])) for i in order if rank[i] > 0]
        # With an adapted encoder, whether the question is something the agency covers at all
        # is asked of the question, not of the ranking's pick: its support is its nearest
        # label's. (Otherwise the supports are weaker evidence and stay tied to the pick.)
        picked = int(np.argmax(support)) if self.adapted else order[0]
        best_support = float(support[picked]) if matches else 0.0
        confident = bool(matches) and best_support >= self.threshold
        elapsed = (time.perf_counter() - started) * 1000
        return Result(matches, confident, self.threshold, best_support, elapsed)

    def _background(self, pairs: int = 4000) -> float:
        """The median similarity of two training texts of different labels (0 with fewer
        than two labels), from pairs drawn the same way every time."""
        if len(self.labels) < 2:
            return 0.0
        rng = np.random.default_rng(7)
        a = rng.integers(0, len(self.entries), pairs)
        b = rng.integers(0, len(self.entries), pairs)
        apart = self.entry_label[a] != self.entry_label[b]
        sims = np.einsum("ij,ij->i", self.embeddings[a[apart]], self.embeddings[b[apart]])
        return float(np.clip(np.median(sims), 0.0, 0.95)) if len(sims) else 0.0

    def _candidates(self) -> int:
        return sum(e.kind in ("example", "title") for e in self.entries)

    def _calibration_pool(self, sample: int = 400) -> list[int]:
        """Up to `sample` example questions and titles, drawn the same way every time."""
        rng = np.random.default_rng(7)
        pool = [i for i, e in enumerate(self.entries) if e.kind in ("example", "title")]
        if len(pool) > sample:
            pool = sorted(int(i) for i in rng.choice(pool, size=sample, replace=False))
        return pool

    def _calibrate(self) -> float:
        """The engine's own floor for answering, from its training texts alone.

        Leave each text of the calibration pool out and measure the support it gets from the
        rest of its own label: that is what a question the engine can answer looks like. The
        threshold sits a margin (15%) below the weakest 1% of those supports (lexical), or
        at a share of their median (with an encoder, adapted or not): a question that far
        from everything the agency wrote goes to a person.
        """
        own = []
        for i in self.calibration_pool:
            e = self.entries[i]
            _, support = self._scores(e.text, e.language, exclude=i)
            if int(np.argmax(support)) == self.entry_label[i]:
                own.append(support[self.entry_label[i]])
        self.calibration = np.array(own)
        if len(own) < 10:  # too few texts to measure: a fixed floor
            return 0.2 if self.embeddings is not None and not self.adapted else 0.3
        if self.adapted:
            share = (self.LINEAR_SUPPORT_SHARE_OF_MEDIAN if self.linear
                     else self.ADAPTED_SUPPORT_SHARE_OF_MEDIAN)
            return share * float(np.median(own))
        if self.embeddings is not None:
            return self.PLAIN_SUPPORT_SHARE_OF_MEDIAN * float(np.median(own))
        return self.SUPPORT_MARGIN * float(np.percentile(own, self.SUPPORT_PERCENTILE))


def _word_features(pair: tuple[str, str]) -> list[str]:
    ts = terms(*pair)
    return ts + [f"{a}_{b}" for a, b in zip(ts, ts[1:], strict=False)]
