"""Measuring the assistant on labeled questions: accuracy@1/@3, out-of-scope P/R/F1, latency.

Used by `civicdesk assistant evaluate` and the tests. A pack folder (the format of
`../shared/eval/`: articles.jsonl, examples.jsonl, questions.jsonl) is loaded into a scratch
knowledge base built by the same `entries_for_article` the product uses for its own articles.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .engine import Engine, Entry, Result, entries_for_article

OUT_OF_SCOPE = "out_of_scope"


@dataclass
class Report:
    mode: str
    questions: int
    in_scope: int
    out_of_scope: int
    accuracy_at_1: float  # in-scope questions whose best match is the expected one
    accuracy_at_3: float
    # ...and confident enough to answer (CLINC's "in-scope accuracy")
    answered_correctly: float
    oos_precision: float
    oos_recall: float
    oos_f1: float
    latency_p50_ms: float
    latency_p95_ms: float
    threshold: float
    train_seconds: float

    def as_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}

    def as_text(self) -> str:
        return (
            f"{self.mode}: {self.questions} questions ({self.in_scope} in scope, "
            f"{self.out_of_scope} out of scope)\n"
            f"  accuracy@1 {self.accuracy_at_1:.3f}   accuracy@3 {self.accuracy_at_3:.3f}   "
            f"answered correctly {self.answered_correctly:.3f}\n"
            f"  out of scope: precision {self.oos_precision:.3f}  recall {self.oos_recall:.3f}"
            f"  F1 {self.oos_f1:.3f}\n"
            f"  latency p50 {self.latency_p50_ms:.1f} ms  p95 {self.latency_p95_ms:.1f} ms   "
            f"(threshold {self.threshold:.3f}, trained in {self.train_seconds:.1f} s)"
        )


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return rows


def pack_entries(folder: Path, with_examples: bool) -> list[Entry]:
    entries: list[Entry] = []
    for a in read_jsonl(folder / "articles.jsonl"):
        lang = a.get("language", "en")
        entries += entries_for_article(a["id"], a["title"], a.get("summary", ""),
                                       a.get("body", ""), lang, a.get("keywords", ""))
    examples = folder / "examples.jsonl"
    if with_examples and examples.exists():
        entries += [Entry(x["label"], x["text"], "example", x.get("language", "en"))
                    for x in read_jsonl(examples)]
    return entries


def evaluate(answer: Callable[[str, str], Result], questions: Iterable[dict], mode: str,
             threshold: float, train_seconds: float) -> Report:
    """`answer(text, language)` is the assistant's own ranking call."""
    questions = list(questions)
    top1 = top3 = correct = 0
    tp = fp = fn = 0
    latencies = []
    n_in = n_out = 0
    for q in questions:
        for key in ("text", "expected"):
            if key not in q:
                raise ValueError(f"question without '{key}': {q}")
        result = answer(q["text"], q.get("language", "en"))
        latencies.append(result.elapsed_ms)
        labels = [m.label for m in result.matches]
        refused = not result.confident
        if q["expected"] == OUT_OF_SCOPE:
            n_out += 1
            tp += refused
            fn += not refused
        else:
            n_in += 1
            fp += refused
            top1 += labels[:1] == [q["expected"]]
            top3 += q["expected"] in labels[:3]
            correct += labels[:1] == [q["expected"]] and not refused
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Report(
        mode=mode, questions=len(questions), in_scope=n_in, out_of_scope=n_out,
        accuracy_at_1=top1 / n_in if n_in else 0.0,
        accuracy_at_3=top3 / n_in if n_in else 0.0,
        answered_correctly=correct / n_in if n_in else 0.0,
        oos_precision=precision, oos_recall=recall, oos_f1=f1,
        latency_p50_ms=float(np.percentile(latencies, 50)) if latencies else 0.0,
        latency_p95_ms=float(np.percentile(latencies, 95)) if latencies else 0.0,
        threshold=threshold, train_seconds=train_seconds,
    )


def evaluate_pack(folder: Path, with_examples: bool, encoder=None, **options) -> Report:
    """`options`: the engine's (adapt, adapt_cache, encoder_name), as the product sets them."""
    engine = Engine(pack_entries(folder, with_examples), encoder=encoder, **options)
    questions = read_jsonl(folder / "questions.jsonl")
    mode = f"{folder.name}, {'with examples' if with_examples else 'articles only'}"
    if encoder is not None:
        mode += ", with encoder"
        if engine.adaptation and engine.adaptation["steps"] + engine.adaptation["cached"]:
            a = engine.adaptation
            mode += (" (adapted: weights from the cache)" if a["cached"] else
                     f" (adapted: {a['pairs']} pairs, {a['steps']} steps, {a['seconds']:.0f} s)")
    return evaluate(engine.rank, questions, mode, engine.threshold, engine.train_seconds)
