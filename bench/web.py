"""Bounded load run of the web app on loopback: N concurrent users for S seconds.

Usage: python bench/web.py [--users 50] [--seconds 30] [--think 1.0] [--workers 1]
                          [--orders 3000] [--import-lines 1000000]

The server is ``goodstanding serve`` in a subprocess on a fresh home holding the demo account.
Each virtual user signs in, then loops over the dashboard page, a metric drill-down page and
the grade endpoint of the API (bearer token), pausing ``--think`` seconds between requests
like a person reading the page (0: as fast as answers come back). Users arrive one after the
other over a ramp-up of 5 s, each starting on another of the three pages; every answer counts.
The run is done twice: on an idle server, then while ``goodstanding ingest`` imports a file of
1 M order lines into another account in its own process. Printed: p50/p95/max per endpoint, errors.
Target of the issue: p95 <= 150 ms and 0 errors, also during the import.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from _common import scratch

AS_OF = date(2026, 11, 20)
ACCOUNT = "demo-store"
PASSWORD = "bench password 1"
GOODSTANDING = [sys.executable, "-m", "goodstanding"]
NOTICE = (
    "Hello,\n\nWe have removed your selling privileges on Amazon.com because the order defect "
    "rate of your account is above our target of 1%. Send a plan of action that explains the "
    "causes, what you changed and how you will keep the rate below 1%.\n"
)
PLAN = (
    "Plan of action\n\nRoot cause: two carriers missed their delivery dates in October and our "
    "packing station shipped 14 damaged mugs without padding, which led to 9 A-to-z claims.\n\n"
    "Actions taken: we moved all orders to a carrier with tracking and an on-time rate of 98%, "
    "added double-wall boxes, refunded every affected buyer and checked each open order.\n\n"
    "Preventive measures: a weekly review of claims and late shipments by the operations "
    "manager, a packing checklist signed per order, and alerts when the defect rate passes 0.5%.\n"
)


@dataclass
class Samples:
    """Latencies (seconds) and errors of one endpoint."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run(
        [*GOODSTANDING, *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"goodstanding {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(home: Path, orders: int, import_lines: int) -> tuple[dict[str, str], Path | None]:
    """A home with the demo account and a bench user; the big orders file to import later."""
    from goodstanding.demo import write_demo, write_orders

    env = {**os.environ, "GOODSTANDING_HOME": str(home)}
    env.pop("GOODSTANDING_DATABASE_URL", None)
    demo = write_demo(home.parent / "demo-reports", orders=orders, seed=7, as_of=AS_OF)
    _run(["ingest", *map(str, demo.files.values()), "--account", ACCOUNT], env)
    _run(["users", "add", "bench", "--password-stdin"], env, stdin=PASSWORD + "\n")
    _run(["users", "grant", "bench", ACCOUNT, "--role", "viewer"], env)
    big = None
    if import_lines:
        big = home.parent / "big-orders.txt"
        print(f"writing {import_lines:,} order lines for the concurrent import ...", flush=True)
        write_orders(big, rows=import_lines, seed=3, as_of=AS_OF)
        print(f"  {big.stat().st_size / 1e6:.0f} MB", flush=True)
    return env, big


async def _wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not start")


async def _sign_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "no CSRF token on the sign-in page"
    answer = await client.post(
        "/login",
        data={"name": "bench", "password": PASSWORD, "csrf_token": match.group(1), "next": "/"},
    )
    if answer.status_code != 303:
        raise SystemExit(f"sign-in failed: {answer.status_code} {answer.text[:300]}")


async def _drill_down_path(client: httpx.AsyncClient) -> str:
    page = await client.get(f"/accounts/{ACCOUNT}")
    links = re.findall(rf'href="(/accounts/{ACCOUNT}/metrics/[^"]+)"', page.text)
    if not links:
        raise SystemExit("the dashboard links to no metric drill-down")
    return links[0]


async def _user(
    base: str,
    token: str,
    until: float,
    samples: dict[str, Samples],
    drill: str,
    think: float,
    number: int,
    users: int,
    ramp: float,
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False) as client:
        await _sign_in(client)
        steps = [
            ("dashboard", "GET", f"/accounts/{ACCOUNT}", {}),
            ("drill-down", "GET", drill, {}),
            (
                "grade (API)",
                "POST",
                "/api/v1/appeals/grade",
                {
                    "json": {"text": PLAN, "notice_text": NOTICE},
                    "headers": {"Authorization": f"Bearer {token}"},
                },
            ),
        ]
        # Users arrive one after the other over the ramp-up, each on another page.
        step = number
        await asyncio.sleep(ramp * number / users)
        while time.perf_counter() < until:
            name, method, path, extra = steps[step % len(steps)]
            step += 1
            started = time.perf_counter()
            try:
                answer = await client.request(method, path, **extra)
                elapsed = time.perf_counter() - started
                if answer.status_code != 200:
                    samples[name].errors.append(f"{answer.status_code}")
                    continue
            except httpx.HTTPError as error:
                samples[name].errors.append(type(error).__name__)
                continue
            samples[name].latencies.append(elapsed)
            if think:
                await asyncio.sleep(think)


async def load(
    base: str, token: str, users: int, seconds: float, think: float, warm: int = 1
) -> dict[str, Samples]:
    """Run ``users`` virtual users for ``seconds``; the samples per endpoint."""
    samples = {name: Samples() for name in ("dashboard", "drill-down", "grade (API)")}
    async with httpx.AsyncClient(base_url=base, timeout=120) as probe:
        await _sign_in(probe)
        drill = await _drill_down_path(probe)
        # Warm-up, not timed, of every worker: the first grade loads the knowledge base, the
        # first dashboard computes the health document.
        for _ in range(4 * warm):
            await asyncio.gather(
                probe.get(f"/accounts/{ACCOUNT}"),
                probe.get(drill),
                probe.post(
                    "/api/v1/appeals/grade",
                    json={"text": PLAN, "notice_text": NOTICE},
                    headers={"Authorization": f"Bearer {token}"},
                ),
            )
    until = time.perf_counter() + seconds
    ramp = min(5.0, seconds / 6)
    await asyncio.gather(
        *(
            _user(base, token, until, samples, drill, think, number, users, ramp)
            for number in range(users)
        )
    )
    return samples


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def show(title: str, samples: dict[str, Samples], seconds: float) -> None:
    """Print p50/p95/max and errors per endpoint and overall."""
    print(f"\n{title}")
    print(
        f"{'endpoint':<16}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'errors':>8}"
    )
    everything: list[float] = []
    errors = 0
    for name, s in samples.items():
        everything += s.latencies
        errors += len(s.errors)
        top = max(s.latencies) * 1000 if s.latencies else float("nan")
        print(
            f"{name:<16}{len(s.latencies):>10}{len(s.latencies) / seconds:>8.1f}"
            f"{_ms(s.latencies, 50):>9.0f}{_ms(s.latencies, 95):>9.0f}{top:>9.0f}"
            f"{len(s.errors):>8}"
        )
        if s.errors:
            print(f"{'':<16}errors: {sorted(set(s.errors))}")
    print(
        f"{'all':<16}{len(everything):>10}{len(everything) / seconds:>8.1f}"
        f"{_ms(everything, 50):>9.0f}{_ms(everything, 95):>9.0f}"
        f"{max(everything, default=float('nan')) * 1000:>9.0f}{errors:>8}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--orders", type=int, default=3000, help="order lines of the demo")
    parser.add_argument("--keep", action="store_true", help="keep the scratch home")
    parser.add_argument("--import-lines", type=int, default=1_000_000, help="0: skip that run")
    args = parser.parse_args()

    work = scratch("web")
    home = work / "home"
    env, big = prepare(home, args.orders, args.import_lines)
    token = _run(["users", "token", "bench"], env).strip()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [*GOODSTANDING, "serve", "--host", "127.0.0.1", "--port", str(port)]
    if args.workers > 1:
        command = [
            *(sys.executable, "-m", "uvicorn", "goodstanding.web.app:app_from_environment"),
            *("--factory", "--workers", str(args.workers), "--log-level", "warning"),
            *("--host", "127.0.0.1", "--port", str(port)),
        ]
    server_log = (work / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    try:
        asyncio.run(_wait_ready(base))
        print(
            f"server up on {base} ({args.workers} worker(s)); {args.users} users for "
            f"{args.seconds:.0f} s per run, {args.think:g} s between a user's requests"
        )
        idle = asyncio.run(load(base, token, args.users, args.seconds, args.think, args.workers))
        show("idle server", idle, args.seconds)
        if big is not None:
            started = time.perf_counter()
            import_log = (work / "import.log").open("w")
            importer = subprocess.Popen(
                [*GOODSTANDING, "ingest", str(big), "--account", "big-store"],
                env=env,
                stdout=import_log,
                stderr=subprocess.STDOUT,
            )
            busy = asyncio.run(load(base, token, args.users, args.seconds, args.think))
            running = importer.poll() is None
            show(
                f"during the import of {args.import_lines:,} order lines"
                f" ({'still running at the end' if running else 'finished during the run'})",
                busy,
                args.seconds,
            )
            importer.wait()
            print(
                f"\nimport took {time.perf_counter() - started:.1f} s (exit {importer.returncode})"
            )
            if importer.returncode:
                print((work / "import.log").read_text()[-2000:])
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
