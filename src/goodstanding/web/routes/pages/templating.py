"""Rendering of the server-side pages: one Jinja environment, the layout's context, messages.

Every page is rendered by :func:`render`, which adds what the layout needs: the request's
language (``_`` translates a catalog string, ``t`` formats dates and numbers), the signed-in
user, the CSRF token of the forms, and the navigation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, pass_context
from markupsafe import Markup

from goodstanding.errors import GoodstandingError
from goodstanding.web.deps import templates
from goodstanding.web.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, pick_language, translator

__all__ = [
    "render",
    "request_language",
    "request_translator",
    "templates",
]


def _json_script(value: object) -> Markup:
    # Safe inside <script type="application/json">: no "</" can close the element.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def request_language(request: Request) -> str:
    """The UI language of a request (user's choice, cookie, Accept-Language, setting)."""
    cached = getattr(request.state, "lang", None)
    if isinstance(cached, str):
        return cached
    user = getattr(request.state, "user", None)
    settings = getattr(getattr(request.app.state, "workspace", None), "settings", None)
    lang = pick_language(
        user_language=getattr(user, "language", None),
        cookie=request.cookies.get("lang"),
        accept_language=request.headers.get("accept-language"),
        default=getattr(settings, "language", "en"),
    )
    request.state.lang = lang
    return lang


def request_translator(request: Request) -> Translator:
    """The translator of the request's language."""
    return translator(request_language(request))


def _context_translator(context: Any) -> Translator:
    request = context.get("request")
    return request_translator(request) if request is not None else translator("en")


@pass_context
def _gettext(context: Any, message: str, **values: Any) -> Markup:
    return _context_translator(context).markup(message, **values)


@pass_context
def _ui(context: Any) -> Translator:
    return _context_translator(context)


def _install(env: Environment) -> None:
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters["json_script"] = _json_script
    # Every template rendered with a request speaks the request's language, the sign-in
    # page included: ``_`` translates, ``ui()`` formats dates and numbers.
    env.globals["_"] = _gettext
    env.globals["gettext"] = _gettext
    env.globals["ui"] = _ui
    env.globals["ui_languages"] = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


_install(templates.env)


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    section: str = "",
) -> HTMLResponse:
    """Render template ``name`` with the layout's context added to ``context``."""
    tr = request_translator(request)
    full: dict[str, Any] = {
        "t": tr,
        "lang": tr.lang,
        "user": getattr(request.state, "user", None),
        "section": section,
    }
    full.update(context or {})
    return templates.TemplateResponse(request, name, full, status_code=status_code)


def error_text(error: GoodstandingError) -> str:
    """The message of a domain error with its hint, as the UI shows it."""
    hint = getattr(error, "hint", None)
    message = str(error)
    if hint and hint not in message:
        message = f"{message} {hint}"
    return message
