"""Precision and recall of the referral-ask detector on the labelled corpus.

    .venv/bin/python tests/data/referral/evaluate.py            # dev: figures and every miss / false alarm
    .venv/bin/python tests/data/referral/evaluate.py --heldout  # held-out: figures only, never the texts

The detector is rules OR a trained sentence model (crm/outreach/referral.py); the model's leave-one-writer-out
figures come from `train.py --lowo`. Tune and train on `dev` only. The held-out split is for reporting: this script prints no held-out text, and a change made
because of a held-out figure makes that figure meaningless.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "heldout")


def load(split: str) -> list[dict]:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    with (HERE / f"{split}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(split: str) -> dict:
    """{"n", "asks", "tp", "fp", "fn", "precision", "recall", "misses", "false_alarms"} for one split.

    `misses` and `false_alarms` are indices into the split, for `dev` tuning only.
    """
    from crm.outreach.referral import find_referral_asks

    items = load(split)
    tp = fp = fn = 0
    misses, false_alarms = [], []
    for i, item in enumerate(items):
        flagged = bool(find_referral_asks(item["text"]))
        if item["label"] and flagged:
            tp += 1
        elif item["label"]:
            fn += 1
            misses.append(i)
        elif flagged:
            fp += 1
            false_alarms.append(i)
    return {
        "n": len(items),
        "asks": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "misses": misses,
        "false_alarms": false_alarms,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heldout", action="store_true", help="report the held-out split (figures only)")
    args = parser.parse_args(argv)
    split = "heldout" if args.heldout else "dev"
    s = score(split)
    print(
        f"{split}: {s['n']} texts, {s['asks']} asks: recall {s['recall']:.3f} ({s['tp']}/{s['asks']}), "
        f"precision {s['precision']:.3f} ({s['tp']}/{s['tp'] + s['fp']})"
    )
    if split == "dev":
        from crm.outreach.referral import find_referral_asks

        items = load(split)
        for title, which in (("missed asks", s["misses"]), ("false alarms", s["false_alarms"])):
            print(f"\n{title} ({len(which)}):")
            for i in which:
                text = " ".join(items[i]["text"].split())
                print(f"  [{i}] {text}")
                for a, b, _ in find_referral_asks(items[i]["text"]):
                    print(f"      flagged: {items[i]['text'][a:b]!r}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    sys.exit(main())
