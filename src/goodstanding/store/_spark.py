"""The local PySpark session behind ``backend="pyspark"``: created on first use, then shared."""

from __future__ import annotations

import threading
from typing import Any

from goodstanding.errors import ConfigError

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}


def spark_backend() -> tuple[Any, Any]:
    """The ibis PySpark backend and the process's local Spark session (created when needed).

    An already running session (a notebook's, a test suite's) is reused as it is; a new one runs
    in local mode on every core, with UTC as its time zone, as the canonical tables require.

    Raises:
        ConfigError: PySpark is not installed.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "backend",
            "pyspark",
            "PySpark is not installed: pip install 'goodstanding[spark]' (it needs Java 17+).",
        ) from None
    import ibis

    with _LOCK:
        session = (
            SparkSession.builder.master("local[*]")
            .appName("goodstanding")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        if _CACHE.get("session") is not session:
            session.sparkContext.setLogLevel("ERROR")
            _CACHE["session"] = session
            _CACHE["backend"] = ibis.pyspark.connect(session)
        return _CACHE["backend"], session
