"""Connections to the app store: engines with the right settings, sessions, and migrations.

SQLite (the default) runs in WAL mode, so readers never wait for a writer and a writer never
waits for readers; foreign keys are on and a busy writer is waited for, not failed. Write
transactions start with ``BEGIN IMMEDIATE`` so two writers queue instead of failing half-way.
PostgreSQL works the same through ``postgresql+psycopg://`` URLs.

:meth:`Database.open` brings the schema to the newest Alembic revision shipped in the package, so
every command works on an empty home.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from goodstanding.errors import ConfigError, StoreError
from goodstanding.store.migrations import HEAD_REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = "goodstanding.store:migrations"
"""Alembic's ``script_location`` of the revisions shipped in the package."""

BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another writer before giving up."""

_IMMEDIATE = "goodstanding_immediate"
# Alembic keeps its running environment in module globals: one migration per process at a time
# (other processes are kept out by the database's own locks, see ``migrations/env.py``).
_MIGRATING = threading.Lock()


def _sqlite_events(engine: Engine, *, foreign_keys: bool) -> None:
    # pysqlite's own transaction handling would BEGIN late and never IMMEDIATE: take it over.
    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_store_engine(url: str, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    """An engine on the store at ``url``, set up for concurrent readers and one writer.

    Args:
        url: a SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``).
        foreign_keys: SQLite only; migrations turn them off, because rebuilding a table in
            SQLite would otherwise cascade its deletes into the child tables.
        pooled: keep connections open between uses (off for one-shot engines).

    Raises:
        ConfigError: the URL cannot be parsed or names a driver that is not installed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ConfigError("database_url", url, f"not a database URL ({error})") from None
    options: dict[str, Any] = {}
    if not pooled:
        options["poolclass"] = NullPool
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    else:
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise ConfigError(
            "database_url", parsed.render_as_string(), f"cannot use this database ({error})"
        ) from None
    if engine.dialect.name == "sqlite":
        _sqlite_events(engine, foreign_keys=foreign_keys)
    return engine


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for the revisions shipped in the package.

    Developers add a revision with it, e.g.
    ``command.revision(alembic_config("sqlite:///dev.db"), "add cases", autogenerate=True,
    rev_id="0002")``; without ``url`` the environment's store (``GOODSTANDING_*``) is used.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revisions() -> frozenset[str]:
    """The heads of the revisions shipped in the package."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads, "the package ships no migration"
    return frozenset(heads)


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the store at ``engine`` is at; empty for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def upgrade(url: str) -> None:
    """Bring the store at ``url`` to the newest revision (a no-op when it is there already).

    Runs on its own one-connection engine: on SQLite with foreign keys off and under
    ``BEGIN IMMEDIATE``, on PostgreSQL under an advisory lock (see ``migrations/env.py``), so
    two processes opening an empty home at once migrate it once.

    Raises:
        StoreError: the store cannot be reached, or was written by a newer goodstanding.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    engine = create_store_engine(url, foreign_keys=False, pooled=False)
    try:
        with _MIGRATING, engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
            connection.rollback()
            script = ScriptDirectory.from_config(alembic_config())
            for revision in current:
                if not _known(script, revision):
                    raise StoreError(
                        f"The store at {_safe_url(url)} is at schema revision {revision!r}, "
                        "which this version of goodstanding does not know.",
                        hint="It was written by a newer goodstanding: upgrade goodstanding.",
                    )
            if set(current) == set(script.get_heads()):
                return
            config = alembic_config()
            config.attributes["connection"] = connection.execution_options(**{_IMMEDIATE: True})
            command.upgrade(config, "heads")
    except CommandError as error:
        raise StoreError(
            f"Cannot migrate the store at {_safe_url(url)}: {error}.",
            hint="It may have been written by a newer goodstanding: upgrade goodstanding.",
        ) from None
    except SQLAlchemyError as error:
        raise StoreError(
            f"Cannot open the store at {_safe_url(url)}: {error.__class__.__name__}: "
            f"{str(error).splitlines()[0]}.",
            hint="Check GOODSTANDING_DATABASE_URL and that the database server is running.",
        ) from None
    finally:
        engine.dispose()


def _known(script: Any, revision: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def at_head(engine: Engine) -> bool:
    """Whether the store is at :data:`HEAD_REVISIONS` (cheap: no Alembic import)."""
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False  # no store yet, or unreachable: the full path says which
    return {v for (v,) in versions} == HEAD_REVISIONS


class Database:
    """The app store: an engine plus read sessions and short write transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        """Open the store at ``url``, creating and migrating it first unless ``migrate`` is off.

        Raises:
            ConfigError: ``url`` is not a usable database URL.
            StoreError: the store cannot be reached or migrated.
        """
        engine = create_store_engine(url)
        if migrate and not at_head(engine):
            try:
                upgrade(url)
            except StoreError:
                engine.dispose()
                raise
        return cls(engine)

    @property
    def url(self) -> URL:
        """The store's URL (render it with ``hide_password``)."""
        return self.engine.url

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; whatever it wrote is rolled back at the end."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without an error.

        Keep it short: on SQLite it holds the single writer lock (readers are never blocked).
        """
        with self._sessions() as session, session.begin():
            if self.dialect == "sqlite":
                session.connection(execution_options={_IMMEDIATE: True})
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
