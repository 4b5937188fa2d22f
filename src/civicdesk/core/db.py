"""Database helpers the ORM does not offer.

``insert_with_child`` writes a row and one row that points to it. On PostgreSQL that is one
statement (two INSERTs joined by a ``WITH``), which is atomic on its own: no BEGIN and
COMMIT round trips, so a caller with nothing else to write needs no transaction. Elsewhere
it is two ``save()`` calls in a transaction of its own (SQLite's round trips are function
calls, so there is nothing to save there).

Both rows are built as unsaved model instances, so field defaults, ``auto_now`` and
database value conversion are the ORM's own; only the statement is put together here. No
``pre_save``/``post_save`` signals are sent on the PostgreSQL path; use it only for models
that have no receivers (tests/core/test_db.py checks the ones it is used for).
"""

from __future__ import annotations

from contextlib import nullcontext

from django.db import connections, models, router, transaction


def insert_columns(obj: models.Model, connection, *, skip=()):
    """The columns, placeholders and values of an INSERT of ``obj``, as ``save()`` would
    send them (the auto-incremented primary key left to the database; the fields whose
    attnames are in ``skip`` left to the caller's SQL)."""
    meta = obj._meta
    columns, placeholders, params = [], [], []
    for field in meta.local_concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField) and obj.pk is None:
            continue
        if field.attname in skip:
            continue
        value = field.get_db_prep_save(field.pre_save(obj, add=True), connection=connection)
        columns.append(connection.ops.quote_name(field.column))
        placeholders.append(field.get_placeholder(value, None, connection)
                            if hasattr(field, "get_placeholder") else "%s")
        params.append(value)
    return columns, placeholders, params


def insert_with_child(parent: models.Model, child: models.Model, *, link: str,
                      returning: tuple[str, ...] = ()) -> None:
    """INSERT ``parent``, then ``child`` with its foreign key ``link`` set to the parent.

    Sets both primary keys on the instances, and the parent's ``returning`` fields to what
    the database stored (for values a trigger writes). Raises IntegrityError like ``save()``.
    """
    using = router.db_for_write(type(parent), instance=parent)
    connection = connections[using]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=using):
            parent.save(using=using, force_insert=True)
            setattr(child, link, parent)
            child.save(using=using, force_insert=True)
            if returning:
                parent.refresh_from_db(using=using, fields=list(returning))
        return

    qn = connection.ops.quote_name
    parent_meta, child_meta = parent._meta, child._meta
    link_field = child_meta.get_field(link)
    p_cols, p_marks, p_params = insert_columns(parent, connection)
    c_cols, c_marks, c_params = insert_columns(child, connection, skip={link_field.attname})
    p_pk, c_pk = qn(parent_meta.pk.column), qn(child_meta.pk.column)
    back = [qn(parent_meta.get_field(name).column) for name in returning]
    sql = (
        f"WITH parent AS (INSERT INTO {qn(parent_meta.db_table)} ({', '.join(p_cols)}) "
        f"VALUES ({', '.join(p_marks)}) RETURNING {', '.join([p_pk, *back])}), "
        f"child AS (INSERT INTO {qn(child_meta.db_table)} ({', '.join([*c_cols, qn(link_field.column)])}) "
        f"VALUES ({', '.join([*c_marks, f'(SELECT {p_pk} FROM parent)'])}) RETURNING {c_pk}) "
        f"SELECT parent.{p_pk}, child.{c_pk}{''.join(', parent.' + b for b in back)} FROM parent, child"
    )
    # Inside a caller's transaction a failed statement would abort it: a savepoint keeps
    # the caller's transaction usable after an IntegrityError, as save() in atomic() does.
    with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
        with connection.cursor() as cursor:
            cursor.execute(sql, p_params + c_params)
            row = cursor.fetchone()
    parent.pk, child.pk = row[0], row[1]
    for name, value in zip(returning, row[2:], strict=True):
        setattr(parent, parent_meta.get_field(name).attname, value)
    setattr(child, link, parent)
    for obj in (parent, child):
        obj._state.adding, obj._state.db = False, using
