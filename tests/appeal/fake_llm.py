"""A fake OpenAI-compatible endpoint: a local HTTP server and an httpx transport, both scripted."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

Answer = Callable[[list[dict[str, str]]], str]


def completion(content: str) -> dict[str, Any]:
    """The body of a chat completion answering ``content``."""
    return {
        "id": "fake-1",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
    }


def transport(answer: Answer, requests: list[dict[str, Any]]) -> httpx.MockTransport:
    """An httpx transport answering /chat/completions with ``answer(messages)``."""

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        requests.append({"path": request.url.path, "headers": dict(request.headers), **body})
        return httpx.Response(200, json=completion(answer(body["messages"])))

    return httpx.MockTransport(handle)


@contextmanager
def fake_server(answer: Answer) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local OpenAI-compatible server on 127.0.0.1; yields its base URL and the requests."""
    requests: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            requests.append({"path": self.path, "headers": dict(self.headers), **body})
            if self.path != "/v1/chat/completions":
                self.send_response(404)
                self.end_headers()
                return
            data = json.dumps(completion(answer(body["messages"]))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
