"""`civicdesk assistant evaluate PATH` and `civicdesk assistant retrain`.

PATH is either a JSON Lines file of labeled questions, answered by this installation's own
assistant (its articles, services and examples, exactly as the chat widget uses it), or a
pack folder (articles.jsonl, examples.jsonl, questions.jsonl, see docs/assistant.md), loaded
into a scratch knowledge base and evaluated twice: with the examples and articles only.

Labels in a questions file: an article's slug, a service's code, or `out_of_scope`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicdesk.assistant import brain
from civicdesk.assistant.evaluate import evaluate, evaluate_pack, read_jsonl


class Command(BaseCommand):
    help = "Evaluate or retrain the assistant."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("evaluate", help="accuracy, out-of-scope F1 and latency")
        ev.add_argument("path", help="a questions .jsonl file, or a pack folder")
        ev.add_argument("--json", dest="json_out", help="also write the figures here as JSON")
        ev.add_argument("--mode", choices=["both", "examples", "articles"], default="both",
                        help="pack folders: which modes to run (default both)")
        ev.add_argument("--encoder", default=None,
                        help="e5, a sentence-transformers model folder, or \"\" for none "
                             "(default: settings)")
        ev.add_argument("--adapt", choices=["1", "0"], default=None,
                        help="fine-tune the encoder on the pack first (default: settings, "
                             "CIVICDESK_ASSISTANT_ADAPT)")
        sub.add_parser("retrain", help="retrain this process's engine now and print its size")

    def handle(self, *args, **opts):
        if opts["action"] == "retrain":
            brain.holder.reset()
            engine = brain.holder.train_now()
            if engine is None:
                raise CommandError("Nothing to train on: publish an article or add a service.")
            self.stdout.write(f"Trained on {len(engine.entries)} texts, {len(engine.labels)} "
                              f"topics in {engine.train_seconds:.2f} s; threshold "
                              f"{engine.threshold:.3f}.")
            if engine.adaptation:
                a = engine.adaptation
                self.stdout.write("Encoder adapted: weights from the cache." if a["cached"] else
                                  f"Encoder adapted on {a['pairs']} pairs in {a['steps']} steps "
                                  f"({a['seconds']:.0f} s).")
            return
        path = Path(opts["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        encoder = self._encoder(opts["encoder"])
        try:
            adapt = None if opts["adapt"] is None else opts["adapt"] == "1"
            reports = self._pack(path, opts["mode"], encoder, adapt) if path.is_dir() \
                else [self._installation(path)]
        except (ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        for r in reports:
            self.stdout.write(r.as_text())
        if opts["json_out"]:
            Path(opts["json_out"]).write_text(json.dumps([r.as_dict() for r in reports], indent=2))
            self.stdout.write(f"Wrote {opts['json_out']}")

    encoder_path = ""  # --encoder, when given: names the adapted weights in the cache

    def _encoder(self, path):
        self.encoder_path = path or ""
        if path is None:
            return brain.encoder()
        if not path:
            return None
        from django.test.utils import override_settings

        with override_settings(CIVICDESK_ASSISTANT_ENCODER=path):
            brain.encoder.cache_clear()
            return brain.encoder()

    def _pack(self, folder: Path, mode: str, encoder, adapt: bool | None):
        for name in ("articles.jsonl", "questions.jsonl"):
            if not (folder / name).exists():
                raise CommandError(f"{folder} has no {name}: not a pack folder.")
        modes = {"both": [True, False], "examples": [True], "articles": [False]}[mode]
        options = brain.engine_options(adapt)
        if self.encoder_path:
            options["encoder_name"] = self.encoder_path
        return [evaluate_pack(folder, m, encoder, **options) for m in modes]

    def _installation(self, file: Path):
        from civicdesk.catalog.models import Service
        from civicdesk.knowledge.models import Article

        slugs = dict(Article.objects.values_list("slug", "pk"))
        codes = dict(Service.objects.values_list("service_code", "pk"))
        questions = []
        for q in read_jsonl(file):
            expected = q.get("expected", "")
            if expected in slugs:
                q["expected"] = brain.label_for("article", slugs[expected])
            elif expected in codes:
                q["expected"] = brain.label_for("service", codes[expected])
            elif expected != "out_of_scope":
                raise CommandError(f"Unknown label {expected!r}: not an article slug, a service "
                                   "code or out_of_scope.")
            questions.append(q)
        brain.holder.reset()
        engine = brain.holder.train_now()
        if engine is None:
            raise CommandError("Nothing to train on: publish an article or add a service.")
        return evaluate(engine.rank, questions, f"{file.name} on this installation",
                        engine.threshold, engine.train_seconds)
