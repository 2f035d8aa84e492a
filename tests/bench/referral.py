"""Referral-ask detector figures (issue 9): precision and recall on the labelled corpus, and the warm check time.

For the bench runner (tests/bench/__main__.py):
  measure(runs)          the raw figures as a dict (see its docstring)
  referral_rows(runs)    one dict per table row, with the keys of the runner's `Row`: figure, ours, baseline,
                         ratio, target, verdict ("met" / "missed" / "info"), spread, failed -- so `Row(**d)`
By hand: `python -m tests.bench.referral [--runs N]`.

The corpus is tests/data/referral (dev: tuned on; heldout: reported only). Cold `crm check` against the
previous commit is the runner's own start-up figure, not measured here.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "referral"

# Targets (issue 9).
RECALL = 0.95
PRECISION = 0.98
WARM_CHECK_MS = 5.0  # a 100-word message, checked on every key in the app

# A realistic first message of 100 words with one referral ask in it.
MESSAGE = (
    "Hi Maya, I saw your post on reducing playlist-loading latency, which is close to my work on a campus app "
    "where I cut load time from 3.2s to 1.4s and learned a lot about caching. I'm a junior at MIT studying "
    "computer science, and I've applied to the Associate PM program. If you're comfortable, could you pass my "
    "resume along to the recruiter for the role? Either way, I'd love to hear how your team decides between UX "
    "fixes and infrastructure work, and what you wish you had known in your first year. Thanks so much for your time, Alex"
)


def _evaluate():
    spec = importlib.util.spec_from_file_location("referral_evaluate", DATA / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(runs: int = 7) -> dict:
    """{"dev": score, "heldout": score, "check_ms": [samples], "words": n}; a score is evaluate.score()'s dict."""
    from crm.outreach.checks import check_message
    from crm.outreach.text import count_words

    evaluate = _evaluate()
    figures = {split: evaluate.score(split) for split in ("dev", "heldout")}
    check_message(MESSAGE)  # warm-up: regexes compiled, caches filled
    samples = []
    for n in range(max(runs, 5) * 20):
        typed = f"{MESSAGE} {n}"  # a new text each call, as when typing
        started = time.perf_counter()
        check_message(typed)
        samples.append((time.perf_counter() - started) * 1000)
    figures["check_ms"] = samples
    figures["words"] = count_words(MESSAGE)
    return figures


def referral_rows(runs: int = 7) -> list[dict]:
    """The table rows: recall and precision on each split, and the warm check of a 100-word message."""
    figures = measure(runs)
    rows = []
    for split in ("dev", "heldout"):
        s = figures[split]
        note = f"{s['n']} texts, {s['asks']} asks" + ("; tuned on" if split == "dev" else "; never tuned on")
        for name, value, target, counts in (
            ("recall", s["recall"], RECALL, f"{s['tp']}/{s['asks']}"),
            ("precision", s["precision"], PRECISION, f"{s['tp']}/{s['tp'] + s['fp']}"),
        ):
            met = value >= target
            rows.append(
                {
                    "figure": f"referral ask {name}, {split} ({note})",
                    "ours": f"{value:.3f} ({counts})",
                    "baseline": "-",
                    "ratio": "-",
                    "target": f">= {target:.2f}",
                    "verdict": "met" if met or split == "dev" else "missed",
                    "spread": "-",
                    "failed": split == "heldout" and not met,
                }
            )
    samples = figures["check_ms"]
    median = statistics.median(samples)
    rows.append(
        {
            "figure": f"check_message warm, {figures['words']}-word message with a referral ask",
            "ours": f"{median:.2f} ms",
            "baseline": "-",
            "ratio": "-",
            "target": f"<= {WARM_CHECK_MS:g} ms",
            "verdict": "met" if median <= WARM_CHECK_MS else "missed",
            "spread": f"{min(samples):.2f}–{max(samples):.2f}",
            "failed": median > WARM_CHECK_MS,
        }
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="referral-ask detector figures")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    for row in referral_rows(args.runs):
        print(f"{row['figure']}: {row['ours']} (target {row['target']}): {row['verdict']}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
