import re
from pathlib import Path

import pytest

from goodstanding.config import Settings, load_settings, settings_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_configuration_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- settings-table:.*?-->\n(.*?)<!-- end settings-table -->", text, re.S)
    assert match, "README lost its settings-table markers"
    assert match.group(1).strip() == settings_table().strip(), (
        "README's configuration table is stale: "
        "regenerate it from goodstanding.config.settings_table()"
    )


def test_every_setting_is_documented() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"


def test_settings_read_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOODSTANDING_HOME", str(tmp_path))
    settings = load_settings()
    assert settings.home == tmp_path
    assert settings.store_url == f"sqlite:///{tmp_path / 'store.db'}"


def test_settings_refuse_unknown_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOODSTANDING_BACKEND", "oracle")
    with pytest.raises(ValueError, match="duckdb"):
        load_settings()
