"""Alembic migrations of the app store, shipped in the package and run by ``Database.open``."""

HEAD_REVISIONS: frozenset[str] = frozenset({"0002_users", "0003_cases", "0004_evidence"})
"""The heads of ``versions/``: lets every open skip importing Alembic when the store is current.

Each feature area adds its tables as its own branch off ``0001`` (``0002_users``,
``0003_cases``...), so areas can grow independently; a revision that builds on another names it
as its down revision and replaces it here. ``tests/store/test_migrations.py``
checks this set against the revisions."""
