"""The full-text index: a generated tsvector + GIN on PostgreSQL, an FTS5 table on SQLite.

Both index the same Python-stemmed words (civicdesk.core.text), titles weighted above
bodies, so search behaves the same on either database.
"""

from django.db import migrations

PG = [
    """ALTER TABLE knowledge_searchentry ADD COLUMN search tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple', terms_title), 'A') ||
         setweight(to_tsvector('simple', terms_body), 'B')) STORED""",
    "CREATE INDEX knowledge_search_gin ON knowledge_searchentry USING gin (search)",
]
PG_REVERSE = ["ALTER TABLE knowledge_searchentry DROP COLUMN search"]

SQLITE = [
    """CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
         terms_title, terms_body, content='knowledge_searchentry', content_rowid='id',
         tokenize='unicode61')""",
    """CREATE TRIGGER knowledge_search_ai AFTER INSERT ON knowledge_searchentry BEGIN
         INSERT INTO knowledge_search_fts(rowid, terms_title, terms_body)
         VALUES (new.id, new.terms_title, new.terms_body); END""",
    """CREATE TRIGGER knowledge_search_ad AFTER DELETE ON knowledge_searchentry BEGIN
         INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, terms_title, terms_body)
         VALUES ('delete', old.id, old.terms_title, old.terms_body); END""",
    """CREATE TRIGGER knowledge_search_au AFTER UPDATE ON knowledge_searchentry BEGIN
         INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, terms_title, terms_body)
         VALUES ('delete', old.id, old.terms_title, old.terms_body);
         INSERT INTO knowledge_search_fts(rowid, terms_title, terms_body)
         VALUES (new.id, new.terms_title, new.terms_body); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS knowledge_search_ai", "DROP TRIGGER IF EXISTS knowledge_search_ad",
    "DROP TRIGGER IF EXISTS knowledge_search_au", "DROP TABLE IF EXISTS knowledge_search_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"postgresql": PG, "sqlite": SQLITE}),
                             _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
