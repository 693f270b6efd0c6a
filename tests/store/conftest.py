"""Fixtures of the store tests: the store on SQLite and on PostgreSQL, a warehouse, readers.

PostgreSQL runs when the server on 127.0.0.1:5432 answers (or ``GOODSTANDING_TEST_POSTGRES_URL``
names another one, as a psycopg conninfo or URL): each test run gets its own database, dropped at
the end, and each test its own schema in it. When no server answers, the PostgreSQL cases are
skipped with a message that says so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from goodstanding.store.db import Database
from goodstanding.store.warehouse import Warehouse

_CANDIDATES = (
    "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3",
    "host=127.0.0.1 port=5432 dbname=test user=root connect_timeout=3",
)


def _admin_conninfo() -> tuple[str | None, str]:
    """A conninfo that reaches the server, or None and why not."""
    import psycopg

    configured = os.environ.get("GOODSTANDING_TEST_POSTGRES_URL")
    candidates = (configured,) if configured else _CANDIDATES
    problems = []
    for conninfo in candidates:
        try:
            with psycopg.connect(conninfo, autocommit=True) as connection:
                connection.execute("SELECT 1")
            return conninfo, ""
        except psycopg.Error as error:
            problems.append(str(error).strip().splitlines()[0])
    return None, "; ".join(problems)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run (URL without schema), dropped at the end."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    conninfo, problem = _admin_conninfo()
    if conninfo is None:
        pytest.skip(
            f"PostgreSQL at 127.0.0.1:5432 is not reachable ({problem}): PostgreSQL cases skipped"
        )
    name = f"goodstanding_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = conninfo_to_dict(conninfo)
    user = parts.get("user", "postgres")
    host = parts.get("host", "127.0.0.1")
    port = parts.get("port", "5432")
    try:
        yield f"postgresql+psycopg://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store: SQLite in ``tmp_path``, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    import psycopg

    database: str = request.getfixturevalue("postgres_database")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    plain = database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{database}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def database(store_url: str) -> Iterator[Database]:
    """The store at ``store_url``, migrated."""
    db = Database.open(store_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def warehouse(database: Database, tmp_path: Path) -> Warehouse:
    """A warehouse in ``tmp_path`` on ``database``."""
    return Warehouse(database, tmp_path / "warehouse")
