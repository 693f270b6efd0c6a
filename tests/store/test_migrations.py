"""Alembic: the packaged revisions build the schema the models describe (SQLite, PostgreSQL)."""

from __future__ import annotations

import io
import subprocess
import sys
import threading

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from goodstanding.store.db import (
    Database,
    alembic_config,
    create_store_engine,
    current_revisions,
    head_revisions,
)
from goodstanding.store.migrations import HEAD_REVISIONS

TABLES = {"accounts", "import_batches", "import_files", "performance_snapshots"}
# 0002_users
TABLES |= {"users", "account_grants", "api_tokens", "login_attempts", "app_secrets"}
# 0003_cases
TABLES |= {"appeal_cases", "appeal_versions", "appeal_replies"}
# 0004_evidence
TABLES |= {
    "evidence_invoices",
    "evidence_invoice_lines",
    "evidence_documents",
    "account_profiles",
    "security_log",
    "review_tasks",
}


def table_names(url: str) -> set[str]:
    engine = create_store_engine(url, pooled=False)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_head_builds_the_schema_of_the_models(store_url: str) -> None:
    config = alembic_config(store_url)

    command.upgrade(config, "heads")

    assert table_names(store_url) == TABLES
    command.check(config)  # raises when the models and the migrations disagree


def test_downgrade_to_base_and_back_round_trips(store_url: str) -> None:
    config = alembic_config(store_url)
    command.upgrade(config, "heads")

    command.downgrade(config, "base")
    emptied = table_names(store_url)
    command.upgrade(config, "heads")

    assert emptied == set()
    assert table_names(store_url) == TABLES


def test_head_revision_constant_matches_the_revisions() -> None:
    script = ScriptDirectory.from_config(alembic_config())

    assert set(script.get_heads()) == HEAD_REVISIONS, (
        "set goodstanding.store.migrations.HEAD_REVISIONS to the newest revision"
    )
    assert head_revisions() == HEAD_REVISIONS


def test_offline_mode_renders_the_sql() -> None:
    config = alembic_config("sqlite:///unused.db")
    buffer = io.StringIO()
    config.output_buffer = buffer

    command.upgrade(config, "heads", sql=True)

    assert "CREATE TABLE accounts" in buffer.getvalue()


def test_concurrent_opens_of_an_empty_store_migrate_it_once(store_url: str) -> None:
    # Processes race through the database's own locks; threads also through the process lock.
    script = (
        "import sys\n"
        "import alembic.command, alembic.runtime.migration, alembic.script\n"
        "from goodstanding.store.db import Database\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        f"Database.open({store_url!r}).dispose()\n"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    start = threading.Barrier(2)
    problems: list[BaseException] = []

    def open_store() -> None:
        start.wait(timeout=30)
        try:
            Database.open(store_url).dispose()
        except BaseException as error:  # noqa: BLE001 (reported to the test thread below)
            problems.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failures = [c.communicate(timeout=60)[1] for c in children]

    assert problems == []
    assert [c.returncode for c in children] == [0, 0, 0, 0], failures
    database = Database.open(store_url, migrate=False)
    try:
        assert current_revisions(database.engine) == HEAD_REVISIONS
        with database.engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert sorted(v for (v,) in versions) == sorted(HEAD_REVISIONS)  # each head once
    finally:
        database.dispose()


@pytest.mark.parametrize("migrate", [True, False])
def test_open_without_migrating_leaves_an_empty_store_empty(store_url: str, migrate: bool) -> None:
    Database.open(store_url, migrate=migrate).dispose()

    assert (table_names(store_url) == TABLES) is migrate
