"""Alembic's environment for the app store.

Run programmatically by :func:`goodstanding.store.db.upgrade` (which hands over its connection in
``config.attributes["connection"]``), or by developers through
:func:`goodstanding.store.db.alembic_config` to write a new revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from goodstanding.store.models import Base

# Any constant works: it only has to be the same for every goodstanding process on the server.
_POSTGRES_LOCK_KEY = 0x600D5A4D


def _configure(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them: batch mode does that for later revisions.
        render_as_batch=sqlite,
        # With pysqlite's own transaction handling replaced, SQLite's DDL is transactional too,
        # so a failed upgrade leaves the schema as it was.
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes opening an empty store at once: the second waits, then finds it done.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_LOCK_KEY}
            )
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    from goodstanding.config import load_settings
    from goodstanding.store.db import create_store_engine

    url = context.config.get_main_option("sqlalchemy.url") or load_settings().store_url
    engine = create_store_engine(url, foreign_keys=False, pooled=False)
    try:
        with engine.connect() as fresh:
            _configure(fresh)
    finally:
        engine.dispose()


def _run_offline() -> None:
    from goodstanding.config import load_settings

    url = context.config.get_main_option("sqlalchemy.url") or load_settings().store_url
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
