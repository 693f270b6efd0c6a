"""Time the notice reader: milliseconds per notice (the issue's target: <= 20 ms per notice).

Usage: python bench/notice.py [--rounds 20]

Reads the test notices of tests/appeal/data/notices, the real notices of
../shared/cases/notices.jsonl when that folder exists, and a long notice (an English test notice
followed by 500 ASINs, as deactivations for a whole catalogue read), each ``--rounds`` times,
after one warm-up call that loads and compiles signals.yaml (reported separately). The target
applies to those. A stress text (English test notices joined up to 10,000 characters, naming
every family: far denser than any real notice) is timed and reported, not held to the target.
Times are the process's CPU time, so other jobs on the machine do not inflate them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "appeal" / "data" / "notices"
CASES = ROOT.parent / "shared" / "cases" / "notices.jsonl"
TARGET_MS = 20.0


def load_texts() -> dict[str, str]:
    """Every notice to time, by label."""
    texts: dict[str, str] = {}
    for path in sorted(SAMPLES.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            texts[f"sample {entry['id']}"] = entry["text"]
    if CASES.exists():
        for line in CASES.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts[f"case {row['id']}"] = row["text"]
    else:
        print(f"{CASES} not found: real notices left out of the timing")
    english = yaml.safe_load((SAMPLES / "en.yaml").read_text(encoding="utf-8"))
    # Deterministic ASIN-like codes: B0 followed by eight base-36 digits of a counter.
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    asins = []
    for number in range(500):
        code = ""
        value = number * 7919 + 1234567
        for _ in range(8):
            value, rest = divmod(value, 36)
            code = digits[rest] + code
        asins.append("B0" + code)
    texts["long notice (one sample + 500 ASINs)"] = english[7]["text"] + "\n" + "\n".join(asins)
    return texts


STRESS_LABEL = "stress: English samples joined (10,000 chars)"


def stress_text(size: int = 10_000) -> str:
    """English test notices joined up to ``size`` characters: denser in signals than any notice."""
    english = yaml.safe_load((SAMPLES / "en.yaml").read_text(encoding="utf-8"))
    parts: list[str] = []
    for entry in english:
        parts.append(entry["text"])
        if sum(len(part) + 2 for part in parts) >= size:
            break
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    started = time.perf_counter()
    from goodstanding.appeal.classify import classify_notice

    classify_notice("Your account has been deactivated: order defect rate above 1%.")
    loaded_ms = (time.perf_counter() - started) * 1000
    print(f"import + load of signals.yaml: {loaded_ms:.0f} ms (once per process)")

    texts = load_texts()
    texts[STRESS_LABEL] = stress_text()
    per_text: dict[str, float] = {}
    all_times: list[float] = []
    for label, text in texts.items():
        times = []
        for _ in range(args.rounds):
            start = time.process_time()
            classify_notice(text)
            times.append((time.process_time() - start) * 1000)
        per_text[label] = statistics.median(times)
        if label != STRESS_LABEL:
            all_times.extend(times)

    print(f"\n{'notice':<58}{'chars':>7}{'median ms (CPU)':>17}")
    for label, median in per_text.items():
        print(f"{label[:57]:<58}{len(texts[label]):>7}{median:>17.2f}")
    all_times.sort()
    p95 = all_times[int(0.95 * (len(all_times) - 1))]
    worst = max(value for label, value in per_text.items() if label != STRESS_LABEL)
    print(
        f"\n{len(texts) - 1} notices x {args.rounds} rounds: median "
        f"{statistics.median(all_times):.2f} ms, p95 {p95:.2f} ms, slowest notice {worst:.2f} ms"
        f" (target <= {TARGET_MS:.0f} ms); stress text {per_text[STRESS_LABEL]:.2f} ms"
    )
    if worst > TARGET_MS:
        raise SystemExit(f"slowest notice: {worst:.1f} ms, above the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
