"""The UI catalogs: every string translated in every language, the request's language, formats."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from goodstanding.web.i18n import (
    LANGUAGES,
    LOCALE_DIR,
    catalog_messages,
    extract_messages,
    language_from_header,
    pick_language,
    translator,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "goodstanding" / "web" / "templates"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
# Words a template may show untranslated: the product's name, format and standard names.
UNTRANSLATED_WORDS = {"goodstanding", "ASIN", "Word", "DOCX", "PDF", "MFN", "AFN"}


def test_every_marked_string_is_translated_in_every_language() -> None:
    msgids = {str(m.id) for m in extract_messages() if m.id}
    assert len(msgids) > 200
    for lang in LANGUAGES:
        catalog = catalog_messages(lang)
        missing = sorted(msgids - set(catalog))
        assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"


def test_catalogs_hold_no_stale_or_empty_entries() -> None:
    msgids = {str(m.id) for m in extract_messages() if m.id}
    for lang in LANGUAGES:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            entries = {str(m.id): m.string for m in read_po(handle) if m.id}
        assert all(entries.values()), f"{lang}: an empty msgstr"
        assert set(entries) == msgids, f"{lang}: entries no template uses"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_the_placeholders_and_are_not_english(lang: str) -> None:
    catalog = catalog_messages(lang)
    same = []
    for msgid, msgstr in catalog.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
        if msgstr == msgid and len(msgid.split()) > 2:
            same.append(msgid)
    assert not same, f"{lang}: left in English: {same[:5]}"


def _visible_text(template: str) -> str:
    text = re.sub(r"\{#.*?#\}", " ", template, flags=re.S)
    text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"<script[^>]*>.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    return text


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_show_no_text_outside_the_catalog(path: Path) -> None:
    words = re.findall(r"[^\W\d_]{2,}", _visible_text(path.read_text(encoding="utf-8")))
    assert not [w for w in words if w not in UNTRANSLATED_WORDS], path.name
    for attribute in re.findall(r'(?:placeholder|title|aria-label)="([^"{]+)"', path.read_text()):
        if "://" in attribute:
            continue
        assert not re.search(r"[^\W\d_]{2,}", attribute), (path.name, attribute)


def test_accept_language_picks_the_best_supported_language() -> None:
    assert language_from_header("de-CH,de;q=0.9,en;q=0.8") == "de"
    assert language_from_header("pt-BR,pt;q=0.9,ja;q=0.5,en;q=0.4") == "ja"
    assert language_from_header("en;q=0.2, zh-CN;q=0.8") == "zh"
    assert language_from_header("pt-BR") is None
    assert language_from_header("") is None
    assert language_from_header("fr;q=0") is None


def test_language_comes_from_user_then_cookie_then_browser_then_default() -> None:
    assert pick_language(user_language="ja", cookie="fr", accept_language="de") == "ja"
    assert pick_language(user_language=None, cookie="fr", accept_language="de") == "fr"
    assert pick_language(cookie="xx", accept_language="es-MX,es;q=0.9") == "es"
    assert pick_language(default="it") == "it"
    assert pick_language(default="xx") == "en"


def test_numbers_dates_and_rates_follow_the_locale() -> None:
    day = date(2026, 11, 20)
    assert translator("en").number(1234567) == "1,234,567"
    assert translator("de").number(1234.5, digits=1) == "1.234,5"
    assert translator("fr").number(1234).replace("\u202f", " ") == "1 234"
    assert translator("en").percent(0.0168) == "1.68%"
    assert translator("de").percent(0.0168).replace("\xa0", " ") == "1,68 %"
    assert translator("en").date(day) == "Nov 20, 2026"
    assert translator("de").date(day) == "20.11.2026"
    assert translator("ja").date(day) == "2026/11/20"
    assert translator("zh").date("2026-11-20") == "2026年11月20日"
    assert translator("en").number(None) == "—"


def test_gettext_translates_and_fills_placeholders() -> None:
    assert translator("fr").gettext("%(n)s at risk", n=3) == "3 à risque"
    assert translator("zh").gettext("Accounts") == "账户"
    assert translator("xx").gettext("Accounts") == "Accounts"
    # Values are escaped in templates, the catalog text is not.
    assert str(translator("en").markup("File %(file)s", file="<b>")) == "File &lt;b&gt;"


def test_pages_speak_the_browsers_language_before_sign_in(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "ja,en;q=0.5"}).text
    assert '<html lang="ja">' in page
    assert "サインイン" in page


def test_language_choice_is_kept_for_the_user(
    signed_in: dict[str, TestClient], tenants: dict, workspace
) -> None:
    client = signed_in["bob"]
    answer = client.post(
        "/settings/language", data={"lang": "zh", "next": "/settings"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/settings"
    assert workspace.users.get("bob").language == "zh"
    client.cookies.delete("lang")
    page = client.get("/", headers={"Accept-Language": "de"}).text
    assert "您的账户" in page and '<html lang="zh">' in page


def test_language_choice_refuses_an_outside_redirect(signed_in: dict[str, TestClient]) -> None:
    answer = signed_in["bob"].post(
        "/settings/language",
        data={"lang": "fr", "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"
