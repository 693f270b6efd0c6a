"""Shared plumbing for the benchmarks: timed child processes with their peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PYTHON = sys.executable


@dataclass
class Timing:
    """Wall time and peak resident memory of one child process."""

    label: str
    seconds: float
    peak_mb: float
    output: str = ""


def run_child(label: str, code: str, env: dict[str, str] | None = None) -> Timing:
    """Run ``code`` in a fresh Python process; return its wall time and peak RSS."""
    wrapper = (
        "import resource, json, sys, time\n"
        "_t = time.perf_counter()\n"
        f"exec(compile({code!r}, '<bench>', 'exec'))\n"
        "_s = time.perf_counter() - _t\n"
        "_m = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print('__BENCH__' + json.dumps({'seconds': _s, 'peak_mb': _m}))\n"
    )
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        [PYTHON, "-c", wrapper], capture_output=True, text=True, env=full_env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stderr[-4000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("__BENCH__"))
    figures = json.loads(line.removeprefix("__BENCH__"))
    return Timing(label, figures["seconds"], figures["peak_mb"], done.stdout)


def scratch(prefix: str) -> Path:
    """A fresh temporary directory for one benchmark run."""
    return Path(tempfile.mkdtemp(prefix=f"goodstanding-bench-{prefix}-"))


def report(title: str, timings: list[Timing], baseline: str) -> None:
    """Print the timings side by side, each as a ratio of the baseline."""
    base = next(t for t in timings if t.label == baseline)
    print(f"\n{title}")
    print(f"{'run':<44}{'seconds':>10}{'ratio':>9}{'peak MB':>10}")
    for t in timings:
        print(f"{t.label:<44}{t.seconds:>10.2f}{t.seconds / base.seconds:>8.2f}x{t.peak_mb:>10.0f}")


def elapsed(start: float) -> float:
    """Seconds since ``start`` (perf_counter)."""
    return time.perf_counter() - start
