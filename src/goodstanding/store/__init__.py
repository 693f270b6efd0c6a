"""The app store (SQLAlchemy + Alembic) and the report warehouse (Parquet, read through ibis).

``db`` opens and migrates the SQL store; ``models`` are its tables; ``repositories`` read and
write them and return frozen records; ``warehouse`` keeps report rows as Parquet files made
visible by the import ledger, and hands the current rows out as ibis tables on DuckDB or PySpark.
Only ``workspace`` imports this package.
"""

from goodstanding.store.db import Database, alembic_config, create_store_engine, upgrade
from goodstanding.store.repositories import (
    AccountRecord,
    AccountRepository,
    ImportRecord,
    ImportRepository,
    SnapshotRecord,
    SnapshotRepository,
)
from goodstanding.store.warehouse import (
    SEQ_COLUMN,
    FileCounts,
    ImportOutcome,
    ImportTransaction,
    Warehouse,
    current_rows,
    group_columns,
)

__all__ = [
    "SEQ_COLUMN",
    "AccountRecord",
    "AccountRepository",
    "Database",
    "FileCounts",
    "ImportOutcome",
    "ImportRecord",
    "ImportRepository",
    "ImportTransaction",
    "SnapshotRecord",
    "SnapshotRepository",
    "Warehouse",
    "alembic_config",
    "create_store_engine",
    "current_rows",
    "group_columns",
    "upgrade",
]
