"""Security of the web app at the HTTP level: headers, request size, uploads.

Sessions (signed, HttpOnly, SameSite=Lax cookies) come from Starlette's ``SessionMiddleware``
set up in :func:`goodstanding.web.app.create_app`; users, grants and CSRF are in ``web/deps.py``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from goodstanding.errors import InputError

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "NOTICE_SUFFIXES",
    "REPORT_SUFFIXES",
    "BodyLimitMiddleware",
    "SecurityHeadersMiddleware",
    "saved_uploads",
]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # Scripts are only the self-hosted ones under /static (htmx, vega, vega-lite,
        # vega-embed): no inline script, no eval. Charts run Vega's expression interpreter
        # (vega-interpreter) instead of compiling expressions with Function().
        "script-src 'self'",
        # vega-embed and htmx add style attributes and <style> elements at run time.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""The Content-Security-Policy of every page."""

# FastAPI's OpenAPI pages load Swagger UI and ReDoc from jsDelivr with an inline bootstrap script.
_DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)
_DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})

_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

REPORT_SUFFIXES = frozenset({".txt", ".tsv", ".tab", ".csv", ".json"})
"""File types accepted as report uploads (Amazon flat files, JSON reports, CSV templates)."""

NOTICE_SUFFIXES = frozenset({".txt", ".eml", ".pdf", ".html", ".htm", ".md"})
"""File types accepted as notice uploads (text, e-mail, PDF)."""

MEGABYTE = 1024 * 1024
_CHUNK = MEGABYTE


class SecurityHeadersMiddleware:
    """Adds the security headers (CSP, frame, sniffing, referrer) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = _DOCS_POLICY if scope["path"] in _DOCS_PATHS else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in [(b"content-security-policy", policy.encode()), *_HEADERS]:
                    if name not in present:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Answers 413 to a request whose body is larger than ``limit`` bytes."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the body as it is read; stop at the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(send)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        megabytes = self.limit // MEGABYTE
        body = (
            b'{"error":{"type":"too_large","message":"The upload is larger than '
            + str(megabytes).encode()
            + b' MB.","hint":"Split the report or raise GOODSTANDING_MAX_UPLOAD_MB."}}'
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def safe_file_name(name: str | None, *, fallback: str = "upload.txt") -> str:
    """A plain file name from a browser's upload name: no folders, no control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip().lstrip(".")
    return base[:150] or fallback


@contextmanager
def saved_uploads(
    files: Sequence[UploadFile],
    *,
    directory: Path,
    max_bytes: int,
    suffixes: frozenset[str] = REPORT_SUFFIXES,
) -> Iterator[list[Path]]:
    """The uploaded files saved under their own names in a fresh folder, removed afterwards.

    Args:
        files: the uploads.
        directory: where the temporary folder is made (the home, so it is on the same disk).
        max_bytes: the largest file accepted.
        suffixes: the file types accepted.

    Raises:
        InputError: no file, a file of another type, or a file too large.
    """
    if not files:
        raise InputError("No file was uploaded.", hint="Choose one or more report files.")
    directory.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=directory))
    try:
        paths: list[Path] = []
        used: set[str] = set()
        for upload in files:
            name = safe_file_name(upload.filename)
            suffix = Path(name).suffix.lower()
            if suffix not in suffixes:
                raise InputError(
                    f"{name}: files of type {suffix or '(none)'!r} are not accepted.",
                    hint="Upload " + ", ".join(sorted(suffixes)) + " files.",
                )
            if name in used:
                name = f"{Path(name).stem}-{len(used)}{suffix}"
            used.add(name)
            target = folder / name
            written = 0
            with target.open("wb") as out:
                while chunk := upload.file.read(_CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise InputError(
                            f"{name} is larger than {max_bytes // MEGABYTE} MB.",
                            hint="Split the report or raise GOODSTANDING_MAX_UPLOAD_MB.",
                        )
                    out.write(chunk)
            paths.append(target)
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)
