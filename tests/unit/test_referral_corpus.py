"""The referral detector on the labelled corpus (tests/data/referral): floors on both splits, spans inside the text.

The corpus was written independently of the detector (see tests/data/referral/README.md). The detector was tuned
on `dev` only; `heldout` was scored once, after the last change, and its floor below is that measurement.
Failures name items by index only: the held-out texts are not for reading while changing the detector.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crm.outreach.referral import find_referral_asks

DATA = Path(__file__).resolve().parents[1] / "data" / "referral"

# (recall, precision) floors. dev was tuned on: measured 0.994 (170/171) / 1.000 (170/170). heldout was measured
# once, after the last change: 0.931 (162/174) / 0.976 (162/166) -- short of issue 9's targets (0.95 / 0.98), so
# the floor is the measurement, not the target. Raise it only with a new held-out set: this one is now spent.
FLOORS = {"dev": (0.98, 0.99), "heldout": (0.93, 0.975)}


def _evaluate():
    spec = importlib.util.spec_from_file_location("referral_evaluate", DATA / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _items(split: str) -> list[dict]:
    with (DATA / f"{split}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_the_corpus_is_big_balanced_and_split_without_overlap():
    dev, heldout = _items("dev"), _items("heldout")
    everything = dev + heldout
    assert sum(item["label"] for item in everything) >= 300
    assert sum(not item["label"] for item in everything) >= 300
    assert len(dev) >= 300 and len(heldout) >= 300
    fold = lambda item: " ".join(item["text"].lower().split())  # noqa: E731
    assert not {fold(i) for i in dev} & {fold(i) for i in heldout}
    assert {item["writer"] for item in everything} == set("abcde")


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_precision_and_recall_floors(split):
    score = _evaluate().score(split)
    recall_floor, precision_floor = FLOORS[split]
    assert score["recall"] >= recall_floor, (split, score["recall"], "missed items", score["misses"])
    assert score["precision"] >= precision_floor, (split, score["precision"], "false alarms", score["false_alarms"])


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_every_flagged_ask_has_its_span_inside_the_text(split):
    bad = []
    for i, item in enumerate(_items(split)):
        text = item["text"]
        end_before = 0
        for start, end, quote in find_referral_asks(text):
            span = text[start:end]
            ok = end_before <= start < end <= len(text) and span == span.strip() and quote
            ok = ok and (quote.rstrip("…") in span or quote.endswith("…"))
            if not ok:
                bad.append(i)
            end_before = end
    assert bad == [], f"{split} items with a bad span: {bad}"


def test_the_check_loads_no_numpy_or_sklearn():
    """The detector is plain Python and `re`: nothing heavy is imported when a message is checked."""
    code = (
        "import sys\n"
        "from crm.outreach.checks import check_message\n"
        "check_message('Could you refer me for the APM role?')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'sklearn', 'scipy', 'pandas', 'joblib'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
