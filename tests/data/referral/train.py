"""Fit the referral detector's sentence model and write its weights as plain data (crm/outreach/referral_weights.py).

    .venv/bin/pip install scikit-learn                     # for training only: not a runtime or dev dependency
    .venv/bin/python tests/data/referral/train.py --lowo   # leave-one-writer-out table on dev (also --cv)
    .venv/bin/python tests/data/referral/train.py --write  # fit on everything, write the weights module

Training data: `dev.jsonl` (writers a-h) and `extra.jsonl` (sentences written from issue 9's definition: the unit
tests' examples and the detector author's own, never read from any held-out text). Never `heldout.jsonl`.

The labels are per message; the model scores sentences. So it is fitted as multiple-instance learning: every
sentence of a non-ask is a negative; an ask's sentences all start positive, and after each fit only the sentence
the model rates highest stays positive (the others are left out, as nobody labelled them). A message's score is its
best sentence's. liblinear is deterministic, so the same data and code give the same weights, bit for bit.

The threshold is chosen by leave-one-writer-out cross-validation: fit on all writers but one (plus extra.jsonl),
score the one left out, pool the eight, and take the lowest threshold at which the model alone raises false alarms on at most
`MAX_FALSE_ALARM_RATE` of the non-asks. Messages flagged by the rules are then flagged whatever the model says.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
OUT = REPO / "crm" / "outreach" / "referral_weights.py"

C = 1.0  # inverse regularisation (chosen by the CV table: 0.3, 1 and 3 were tried)
MIL_ROUNDS = 3
MIN_COUNT = 2  # a feature must occur in two training sentences
MAX_FALSE_ALARM_RATE = 0.01
THRESHOLDS = [x / 4 for x in range(-4, 17)]  # logits -1 .. 4
SCALE = 1000  # weights are stored as 16-bit integers in thousandths
PRUNE = 0.05  # weights smaller than this are dropped (the CV table is the same as at 0.02, with 40% fewer weights)

# What the shipped weights depend on: a change to any of these needs a retrain (tests/unit/test_referral_corpus.py).
SOURCES = (
    "tests/data/referral/dev.jsonl",
    "tests/data/referral/extra.jsonl",
    "tests/data/referral/train.py",
    "crm/outreach/referral_model.py",
    "crm/outreach/text.py",
    "crm/outreach/referral_canonical.py",
    "crm/outreach/referral_words.py",
)


def fingerprint() -> str:
    """sha256 over the training data and every piece of code that turns a text into features."""
    h = hashlib.sha256()
    for name in SOURCES:
        h.update(name.encode() + b"\0" + (REPO / name).read_bytes() + b"\0")
    return h.hexdigest()


def load(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def messages(items: list[dict]) -> list[dict]:
    """Each item as {"label", "writer", "sents": [features of each sentence]}."""
    from crm.outreach import referral_model as model
    from crm.outreach.referral_canonical import canonical

    out = []
    for item in items:
        norm, _ = canonical(item["text"])
        sents = [model.features(norm[a:b], doc) for _, a, b, doc in model.sentences(norm)]
        out.append({"label": item["label"], "writer": item["writer"], "sents": sents or [()]})
    return out


def fit(train: list[dict]) -> tuple[dict[str, float], float]:
    """(weights, bias) of a logistic regression fitted by multiple-instance rounds."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for m in train for s in m["sents"] for f in set(s))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}

    def matrix(sents):
        rows, cols = [], []
        for r, s in enumerate(sents):
            for f in sorted(set(s)):
                if f in vocab:
                    rows.append(r)
                    cols.append(vocab[f])
        return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sents), len(vocab)))

    chosen: dict[int, int | None] = {i: None for i, m in enumerate(train) if m["label"]}
    clf = None
    for _ in range(MIL_ROUNDS):
        sents, y = [], []
        for i, m in enumerate(train):
            if not m["label"] or chosen[i] is None:
                sents += m["sents"]
                y += [m["label"]] * len(m["sents"])
            else:
                sents.append(m["sents"][chosen[i]])
                y.append(1)
        clf = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
        clf.fit(matrix(sents), y)
        for i in chosen:
            chosen[i] = int(np.argmax(clf.decision_function(matrix(train[i]["sents"]))))
    weights = {f: max(-32767, min(32767, round(float(w) * SCALE))) for f, w in zip(vocab, clf.coef_[0], strict=True)}
    kept = {f: w / SCALE for f, w in weights.items() if abs(w) >= PRUNE * SCALE}
    return kept, round(float(clf.intercept_[0]) * SCALE) / SCALE


def score(m: dict, weights: dict[str, float], bias: float) -> float:
    return max(bias + sum(weights.get(f, 0.0) for f in s) for s in m["sents"])


def cross_validate(dev: list[dict], extra: list[dict], rules: list[bool]) -> tuple[float, str, tuple[float, float]]:
    """(threshold, report, (recall, precision)): leave-one-writer-out scores of the model alone and of rules-or-model;
    the pair is the detector's (rules or model), all writers pooled."""
    writers = sorted({m["writer"] for m in dev})
    pooled = []  # (writer, label, model score, rules flag)
    for w in writers:
        weights, bias = fit([m for m in dev if m["writer"] != w] + extra)
        pooled += [
            (m["writer"], m["label"], score(m, weights, bias), r)
            for m, r in zip(dev, rules, strict=True)
            if m["writer"] == w
        ]
    negatives = sum(1 for _, label, _, _ in pooled if not label)
    threshold = next(
        t
        for t in THRESHOLDS
        if sum(1 for _, label, s, _ in pooled if not label and s >= t) <= MAX_FALSE_ALARM_RATE * negatives
    )

    def figures(rows, flag):
        tp = sum(1 for r in rows if r[1] and flag(r))
        fp = sum(1 for r in rows if not r[1] and flag(r))
        asks = sum(1 for r in rows if r[1])
        return tp / asks, (tp / (tp + fp) if tp + fp else 1.0), fp

    lines = [f"leave-one-writer-out, threshold {threshold:+.2f} (logit), C={C}", ""]
    lines.append("writer  asks  model recall  model precision  (fp)  rules|model recall  precision  (fp)")
    for w in [*writers, "all"]:
        rows = [r for r in pooled if w == "all" or r[0] == w]
        mr, mp, mf = figures(rows, lambda r: r[2] >= threshold)
        hr, hp, hf = figures(rows, lambda r: r[2] >= threshold or r[3])
        asks = sum(1 for r in rows if r[1])
        lines.append(f"{w:>6}  {asks:4}  {mr:12.3f}  {mp:15.3f}  {mf:4}  {hr:18.3f}  {hp:9.3f}  {hf:4}")
    lines += ["", "the model alone at other thresholds (all writers):"]
    for t in THRESHOLDS:
        r, p, f = figures(pooled, lambda row, t=t: row[2] >= t)
        lines.append(f"  {t:+.2f}: recall {r:.3f} precision {p:.3f} ({f} false alarms)")
    lines.append(
        f"(the rules were written looking at all {len(writers)} writers: their part of rules|model is in-sample)"
    )
    recall, precision, _ = figures(pooled, lambda r: r[2] >= threshold or r[3])
    return threshold, "\n".join(lines), (recall, precision)


def write(weights: dict[str, float], bias: float, threshold: float, report: str, lowo: tuple[float, float]) -> None:
    from array import array

    names = sorted(weights)
    packed = array("h", (round(weights[f] * SCALE) for f in names))
    if sys.byteorder != "little":
        packed.byteswap()
    hexed = packed.tobytes().hex()
    joined = "|".join(names)
    feature_lines, line = [], ""
    for name in names:  # wrap at "|" so that no feature is split
        piece = name + "|"
        if len(line) + len(piece) > 116:
            feature_lines.append(line)
            line = ""
        line += piece
    feature_lines.append(line.rstrip("|"))
    assert "".join(feature_lines) == joined
    weight_lines = [hexed[i : i + 116] for i in range(0, len(hexed), 116)]
    text = (
        '"""The referral sentence model\'s weights: GENERATED by tests/data/referral/train.py --write. Do not edit.\n\n'
        + report
        + '\n"""\n\n'
        + "from __future__ import annotations\n\n"
        + "# sha256 of train.SOURCES (data and featurising code) when these weights were fitted\n"
        + f'TRAINED_ON = "{fingerprint()}"\n'
        + f"BIAS = {round(bias * SCALE)}  # in thousandths, like the weights\n"
        + f"THRESHOLD = {threshold!r}  # a sentence whose logit reaches this is an ask\n"
        + f"LOWO_RECALL = {round(lowo[0], 4)!r}  # the detector's leave-one-writer-out figures (the table above)\n"
        + f"LOWO_PRECISION = {round(lowo[1], 4)!r}\n"
        + f"SCALE = {SCALE}\n"
        + f"COUNT = {len(names)}\n"
        + 'FEATURES = """\\\n'
        + "\n".join(feature_lines)
        + '"""\n'
        + 'WEIGHTS = """\\\n'
        + "\n".join(weight_lines)
        + '"""\n\n\n'
        + "def weights() -> dict[str, int]:\n"
        + '    """Feature -> weight in thousandths (WEIGHTS: little-endian 16-bit integers in hex, in FEATURES\' order).\n\n'
        + "    Read through a memoryview: importing `array` costs the cold start more than the rest of this together.\n"
        + '    """\n'
        + "    import sys\n\n"
        + "    data = bytes.fromhex(WEIGHTS)\n"
        + '    if sys.byteorder != "little":\n'
        + "        data = bytes(b for pair in zip(data[1::2], data[::2], strict=True) for b in pair)\n"
        + '    names = FEATURES.replace("\\n", "").split("|")\n'
        + '    return dict(zip(names, memoryview(data).cast("h").tolist(), strict=True))\n'
    )
    OUT.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lowo", "--cv", action="store_true", help="print the leave-one-writer-out table")
    parser.add_argument("--write", action="store_true", help="fit on all training data and write the weights")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from crm.outreach.referral import rule_asks

    dev_items = load("dev.jsonl")
    dev, extra = messages(dev_items), messages(load("extra.jsonl"))
    rules = [bool(rule_asks(item["text"])) for item in dev_items]
    threshold, report, lowo = cross_validate(dev, extra, rules)
    if args.lowo or not args.write:
        print(report)
    if args.write:
        weights, bias = fit(dev + extra)
        write(weights, bias, threshold, report, lowo)
        print(f"wrote {OUT.relative_to(REPO)}: {len(weights)} weights, threshold {threshold:+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
