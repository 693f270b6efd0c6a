"""Settings, declared once.

Every setting is one field below: its environment variable is ``GOODSTANDING_<NAME>``, its default
and help text feed the README's configuration table (``tests/test_config.py`` checks the table is
current). Settings are built by :func:`load_settings`, never at import time, so tests never
patch a global.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("goodstanding", appauthor=False))


class Settings(BaseSettings):
    """goodstanding's configuration (environment variables ``GOODSTANDING_*``)."""

    model_config = SettingsConfigDict(env_prefix="GOODSTANDING_", extra="ignore")

    home: Path = Field(
        default_factory=_default_home,
        description="Data directory: the SQLite store, the report warehouse, the secret key.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the app store; default SQLite `store.db` in the home. "
        "PostgreSQL works the same (`postgresql+psycopg://user@host/db`).",
    )
    secret_key: str | None = Field(
        default=None,
        description="Key signing web sessions; default: generated on first `serve` and kept in "
        "the home (mode 0600).",
    )
    backend: str = Field(
        default="duckdb",
        description="Engine computing the metrics: `duckdb` or `pyspark`.",
    )
    language: str = Field(
        default="en", description="Default language of texts (en, zh, fr, it, de, es, ja)."
    )
    max_upload_mb: int = Field(default=200, description="Largest report file the web app accepts.")
    secure_cookies: bool = Field(
        default=False,
        description="Send session cookies over HTTPS only; set it when a TLS proxy serves the app.",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible endpoint; the LLM stays off when unset.",
    )
    llm_model: str | None = Field(default=None, description="Model name sent to the LLM endpoint.")
    llm_api_key: str | None = Field(default=None, description="API key of the LLM endpoint.")

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value not in {"duckdb", "pyspark"}:
            raise ValueError("must be 'duckdb' or 'pyspark'")
        return value

    @property
    def store_url(self) -> str:
        """The SQLAlchemy URL of the app store."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'store.db'}"

    @property
    def warehouse_dir(self) -> Path:
        """Where report rows live as Parquet files."""
        return self.home / "warehouse"


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]


def settings_table() -> str:
    """The README's configuration table, generated from the :class:`Settings` declaration."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        if field.default_factory is not None:
            default = "platform data dir" if name == "home" else "(computed)"
        elif field.default is None:
            default = "unset"
        else:
            default = f"`{field.default}`"
        rows.append(f"| `GOODSTANDING_{name.upper()}` | {default} | {field.description} |")
    return "\n".join(rows)
