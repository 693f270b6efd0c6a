"""Time the POA grader: milliseconds per appeal (the issue's target: <= 50 ms per POA).

Usage: python bench/grade.py [--rounds 20]

Grades the sample appeals of tests/appeal/data/poas, the real appeals of ../shared/cases/poas.jsonl
when that folder exists, and one long appeal (about 2,500 words, beyond the grader's own length
warning), each ``--rounds`` times, after one warm-up call that loads and compiles grading.yaml
(reported separately). Times are the process's CPU time, so other jobs on the machine do not
inflate them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "appeal" / "data" / "poas"
CASES = ROOT.parent / "shared" / "cases" / "poas.jsonl"
TARGET_MS = 50.0


def load_texts() -> dict[str, str]:
    """Every appeal to time, by label."""
    texts = {
        f"sample {path.stem}": path.read_text(encoding="utf-8")
        for path in sorted(SAMPLES.glob("*.txt"))
    }
    if CASES.exists():
        for line in CASES.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts[f"case {row['id']}"] = row["text"]
    else:
        print(f"{CASES} not found: real appeals left out of the timing")
    long_text = "\n\n".join(
        (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
        for name in ("en_good", "en_bad", "en_good", "en_bad") * 3
    )
    texts["long appeal (12 samples joined)"] = long_text
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    started = time.perf_counter()
    from goodstanding.appeal.grade import grade_poa, rule_ids

    rule_ids()  # loads and compiles grading.yaml
    grade_poa("Root cause: a first call compiles the remaining patterns.")
    loaded_ms = (time.perf_counter() - started) * 1000
    print(f"import + load of grading.yaml: {loaded_ms:.0f} ms (once per process)")

    texts = load_texts()
    per_text: dict[str, float] = {}
    all_times: list[float] = []
    for label, text in texts.items():
        times = []
        for _ in range(args.rounds):
            # CPU time of this process: other jobs on a busy machine do not inflate it.
            start = time.process_time()
            grade_poa(text)
            times.append((time.process_time() - start) * 1000)
        per_text[label] = statistics.median(times)
        all_times.extend(times)

    print(f"\n{'appeal':<58}{'words':>7}{'median ms (CPU)':>17}")
    from goodstanding.appeal._grade_text import word_count

    for label, median in per_text.items():
        print(f"{label[:57]:<58}{word_count(texts[label]):>7}{median:>17.1f}")
    all_times.sort()
    p95 = all_times[int(0.95 * (len(all_times) - 1))]
    median = statistics.median(all_times)
    print(
        f"\n{len(texts)} appeals x {args.rounds} rounds: median {median:.1f} ms, "
        f"p95 {p95:.1f} ms, max {all_times[-1]:.1f} ms per POA (target <= {TARGET_MS:.0f} ms)"
    )
    print("within target" if p95 <= TARGET_MS else "OVER TARGET")


if __name__ == "__main__":
    main()
