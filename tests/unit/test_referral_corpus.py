"""The referral detector on the labelled corpus (tests/data/referral): floors on both splits, spans inside the text;
the shipped model is what its training script makes from the data; nothing heavy is imported at run time.

The corpus was written independently of the detector (see tests/data/referral/README.md). The detector -- rules plus
a sentence model -- was tuned and trained on `dev` (and on tests/data/referral/extra.jsonl) only; a held-out set is
scored once, after the last change, and its floor below is that measurement. Failures name items by index only: the
held-out texts are not for reading while changing the detector.

The held-out set of writers f-h was measured once and then spent: its records joined `dev` (`split_history:
heldout-v2`). heldout.jsonl now holds a third set, by writers i-k (new personas), written while the detector was
being changed and scored once after the last change, and a fourth, by writers l-m (resume-forwarding asks and asks
behind disclaimers, the families an outside tester found missed), written while the detector was being fixed for
them by someone who never saw these texts, and scored once after.
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

# (recall, precision) floors.
# dev (writers a-h and x, tuned and trained on): measured 1.000 (532/532) / 1.000 (532/532); floor a little below.
# What says more is leave-one-writer-out (tests/data/referral/train.py --lowo, table in
# crm/outreach/referral_weights.py): recall 0.996, precision 0.991 -- though the rules, written looking at all nine
# writers, are in-sample there.
# heldout: writers f-h scored recall 0.944 (170/180), precision 0.971 (170/175) once; that set is spent (now part
# of dev). Writers i-k (heldout-v3, 360 texts, 180 asks) then scored recall 0.978 (176/180), precision 0.994
# (176/177), measured once. After the outside tester's asks (writer x, tester-v1) were fixed on dev, the same set
# scored recall 0.967 (174/180), precision 0.989 (174/176), measured once, after the last change: that measurement
# was i-k's floor. Writers l-m (heldout-v4, 200 texts, 100 asks) scored recall 0.940 (94/100), precision 0.940
# (94/100) with the detector before that fix and 0.970 (97/100) / 0.970 (97/100) after it, measured once each. The
# floor is the whole held-out set after the fix, 0.968 (271/280) / 0.982 (271/276): a later change that costs one
# ask or one alarm fails.
FLOORS = {"dev": (0.98, 0.98), "heldout": (271 / 280, 271 / 276)}
SPENT = "heldout-v2"  # the split_history of the spent held-out records, now in dev


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
    assert {item["writer"] for item in dev} == set("abcdefghx")  # x: the outside tester's texts (tester-v1)
    spent = {fold(i) for i in dev if i.get("split_history") == SPENT}
    assert len(spent) == 360
    held = {fold(i) for i in heldout}
    assert not {fold(i) for i in dev} & held
    assert {item["writer"] for item in heldout} == set("ijklm")  # new writers, new personas


def test_the_training_extras_are_neither_dev_nor_heldout_texts():
    """extra.jsonl (sentences from issue 9's definition and the unit tests) repeats no corpus text."""
    fold = lambda item: " ".join(item["text"].lower().split())  # noqa: E731
    extra = {fold(i) for i in _items("extra")}
    assert len(extra) >= 500
    assert not extra & {fold(i) for i in _items("dev")}
    assert not extra & {fold(i) for i in _items("heldout")}


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


def _train():
    spec = importlib.util.spec_from_file_location("referral_train", DATA / "train.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_weights_were_trained_on_the_current_data_and_code():
    """referral_weights.py records the sha256 of the training data, train.py and the featurising code it was fitted
    from: a change to any of them without `train.py --write` fails here."""
    from crm.outreach import referral_weights

    assert _train().fingerprint() == referral_weights.TRAINED_ON, "run tests/data/referral/train.py --write"
    weights = referral_weights.weights()
    assert len(weights) == referral_weights.COUNT > 1000
    assert all(isinstance(w, int) and w for w in weights.values())


@pytest.mark.slow
def test_retraining_gives_the_shipped_weights_bit_for_bit():
    """Deterministic training: fitting again on the same data gives the same weights (scikit-learn is a dev extra,
    pinned exactly, for training only: the runtime never imports it)."""
    from crm.outreach import referral_weights

    train = _train()
    weights, bias = train.fit(train.messages(train.load("dev.jsonl")) + train.messages(train.load("extra.jsonl")))
    assert round(bias * train.SCALE) == referral_weights.BIAS
    assert {f: round(w * train.SCALE) for f, w in weights.items()} == referral_weights.weights()
