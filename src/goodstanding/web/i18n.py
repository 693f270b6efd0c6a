"""The web UI's languages: Babel catalogs, the language of a request, locale-aware formatting.

Every UI string is a msgid of the catalogs in ``web/locale/<lang>/LC_MESSAGES/messages.po`` (read
directly from the ``.po`` files, so there is no compile step). Templates mark strings with
``_("...")`` and Python code with :func:`N_`; ``python -m goodstanding.web.i18n`` extracts them and
merges new msgids into every catalog (a test fails while any msgstr is empty).

The language of a request is, in order: the signed-in user's choice, the ``lang`` cookie, the
browser's ``Accept-Language``, then the ``language`` setting.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "N_",
    "Translator",
    "catalog_messages",
    "extract_messages",
    "language_from_header",
    "pick_language",
    "translator",
    "update_catalogs",
]

LANGUAGES: tuple[str, ...] = ("en", "zh", "fr", "it", "de", "es", "ja")
"""The UI languages, in the order the language menu lists them."""

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "中文",
    "fr": "Français",
    "it": "Italiano",
    "de": "Deutsch",
    "es": "Español",
    "ja": "日本語",
}
"""Each language's name in itself (never translated)."""

DEFAULT_LANGUAGE = "en"
WEB_DIR = Path(__file__).parent
LOCALE_DIR = WEB_DIR / "locale"
DOMAIN = "messages"
_BABEL_LOCALES = {"zh": "zh_Hans_CN"}
_EXTRACT_METHODS = [
    ("templates/**.html", "jinja2"),
    ("**.py", "python"),
]
_KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def N_(message: str) -> str:
    """Mark ``message`` as a UI string to translate later (it is returned unchanged)."""
    return message


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog_messages(lang: str) -> Mapping[str, str]:
    """The msgid → msgstr map of a language's catalog (empty msgstrs left out)."""
    path = _po_path(lang)
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=_BABEL_LOCALES.get(lang, lang))
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string
    }


@cache
def _locale(lang: str) -> Locale:
    # Parsing a locale costs more than formatting with it; every tile of a page formats numbers.
    return Locale.parse(_BABEL_LOCALES.get(lang, lang))


@dataclass(frozen=True)
class Translator:
    """The UI strings and formats of one language."""

    lang: str

    @property
    def locale(self) -> Locale:
        """The Babel locale used for dates and numbers."""
        return _locale(self.lang)

    def gettext(self, message: str, **values: Any) -> str:
        """The translation of ``message``, with ``%(name)s`` placeholders filled from ``values``."""
        text = catalog_messages(self.lang).get(message) or message
        return text % values if values else text

    def markup(self, message: str, **values: Any) -> Markup:
        """Like :meth:`gettext` for templates: the text is trusted, the values are escaped."""
        text = catalog_messages(self.lang).get(message) or message
        if not values:
            return Markup(text)
        return Markup(text) % {key: escape(value) for key, value in values.items()}

    def date(self, value: date | datetime | str | None, *, format: str = "medium") -> str:
        """A date in the language's format (ISO strings accepted; ``—`` for none)."""
        if value is None or value == "":
            return "—"
        day: date
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value[:10])
            except ValueError:
                return value
        elif isinstance(value, datetime):
            day = value.date()
        else:
            day = value
        return babel_format_date(day, format=format, locale=self.locale)

    def datetime(self, value: datetime | str | None) -> str:
        """A date and time in the language's format."""
        if value is None or value == "":
            return "—"
        moment: datetime
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
        else:
            moment = value
        return babel_format_datetime(moment, format="medium", locale=self.locale)

    def number(self, value: float | int | None, *, digits: int = 0) -> str:
        """A number with the language's separators."""
        if value is None:
            return "—"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, value: float | None, *, digits: int = 2) -> str:
        """A rate as a percentage in the language's format (``0.0123`` → ``1.23 %``)."""
        if value is None:
            return "—"
        # The locale's own pattern (``#,##0 %`` in German), with ``digits`` decimals.
        pattern = str(self.locale.percent_formats[None].pattern)
        if digits:
            pattern = pattern.replace("0", "0." + "0" * digits, 1)
        return format_percent(value, format=pattern, locale=self.locale)


@cache
def translator(lang: str) -> Translator:
    """The translator of ``lang`` (English for an unknown language)."""
    return Translator(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def language_from_header(header: str | None) -> str | None:
    """The best UI language for an ``Accept-Language`` header, or ``None``."""
    if not header:
        return None
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, position, tag.strip().lower()))
    for negative_quality, _position, tag in sorted(weighted):
        if negative_quality >= 0:
            continue
        primary = tag.replace("_", "-").split("-")[0]
        if primary in LANGUAGES:
            return primary
    return None


def pick_language(
    *,
    user_language: str | None = None,
    cookie: str | None = None,
    accept_language: str | None = None,
    default: str = DEFAULT_LANGUAGE,
) -> str:
    """The language of a request: the user's choice, the cookie, the browser, the default."""
    for candidate in (user_language, cookie, language_from_header(accept_language)):
        if candidate in LANGUAGES:
            return candidate
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def extract_messages(root: Path = WEB_DIR) -> Catalog:
    """Every UI msgid marked in the web package's templates and Python modules."""
    catalog = Catalog(project="goodstanding", domain=DOMAIN)
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(root), method_map=_EXTRACT_METHODS, keywords=_KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments)
    return catalog


def update_catalogs(languages: Iterable[str] = LANGUAGES) -> dict[str, int]:
    """Merge newly marked msgids into every catalog; returns the count of empty msgstrs."""
    missing: dict[str, int] = {}
    for lang in languages:
        # A fresh template per catalog: Catalog.update shares the template's message objects.
        template = extract_messages()
        path = _po_path(lang)
        locale = _BABEL_LOCALES.get(lang, lang)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="goodstanding", domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        if lang == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True, include_lineno=False)
        missing[lang] = sum(1 for m in catalog if m.id and not m.string)
    catalog_messages.cache_clear()
    return missing


def _main(argv: list[str]) -> int:
    missing = update_catalogs()
    stream: Callable[[str], Any] = sys.stderr.write
    for lang, count in missing.items():
        stream(f"{lang}: {count} untranslated\n")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
