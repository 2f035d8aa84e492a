"""Every message check runs in time linear in the text, and a message has a size cap (issue 11, point 5).

`crm check` on 10,000 dots and an "x" took ~3 s, on 40,000 ~45 s, on 300,000 it never finished: the sentence and
clause regexes rescanned a run of . ! ? (or of spaces) from every character of it, and the referral rules looked
back over the whole clause from every candidate match. The app re-checks the draft on every key.

Here each building block meets a megabyte of each adversarial pattern under a hang guard (a guard, not a benchmark:
the quadratic versions take hours on these), `check_message` meets the same megabyte (refused by the cap, at once)
and the largest text it accepts, and Hypothesis checks that any text up to the cap gets a verdict.
The timings are in `python -m tests.bench.referral` (tests/bench/referral.py), not asserted here.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.errors import CrmError
from crm.outreach import referral_model, text
from crm.outreach.checks import MAX_MESSAGE_CHARS, CheckResult, check_message
from crm.outreach.referral import find_referral_asks, rule_asks
from crm.outreach.referral_canonical import canonical

MB = 1_000_000
GUARD_SECONDS = 20  # per call; the linear versions take well under 2 s on a megabyte

# name -> a text of about n characters: long runs of punctuation, apostrophes, hyphens, commas, digits and spaces,
# many tiny sentences or clauses, repeated words, one giant word, and non-ASCII text.
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "dots then x": lambda n: "." * n + "x",  # the issue's case
    "mixed . ! ? run": lambda n: ".!?" * (n // 3) + "x",
    "tiny sentences": lambda n: ". " * (n // 2),
    "quoted questions": lambda n: '?"' * (n // 2) + " a",
    "apostrophes": lambda n: "a'" * (n // 2),
    "hyphens": lambda n: "-" * n,
    "hyphenated word": lambda n: "a-" * (n // 2),
    "commas in digits": lambda n: "1," * (n // 2),
    "digits": lambda n: "1" * n,
    "decimals": lambda n: "1." * (n // 2),
    "spaces then x": lambda n: " " * n + "x",
    "spaces and newlines": lambda n: " \n" * (n // 2),
    "newlines then hyphens": lambda n: "\n" * (n // 2) + "-" * (n // 2),
    "repeated ask words": lambda n: "could you refer me " * (n // 19),
    "one giant word": lambda n: "a" * n,
    "unicode": lambda n: "é’“—" * (n // 4),
    "abbreviations": lambda n: "e.g. " * (n // 5),
}


@contextmanager
def hang_guard(seconds: float = GUARD_SECONDS):
    """Fail (instead of hanging the suite) if the block takes longer than `seconds`."""

    def _timeout(signum, frame):
        raise TimeoutError(f"took more than {seconds} s: not linear")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The building blocks cache by text; a megabyte's worth must not outlive its test (nor speed up the next)."""
    yield
    for cached in (text.word_spans, text.sentence_spans, canonical, referral_model.features):
        cached.cache_clear()


def _model_features(message: str) -> int:
    norm, _ = canonical(message)
    return sum(len(referral_model.features(norm[a:b], doc)) for _, a, b, doc in referral_model.sentences(norm))


def _clauses(message: str) -> None:
    assert all(0 <= c.start < c.end <= len(message) for c in text.clauses(message))


BLOCKS: dict[str, Callable[[str], object]] = {
    "word_spans": text.word_spans,
    "sentence_spans": text.sentence_spans,
    "first_sentence": text.first_sentence,
    "clauses": _clauses,
    "canonical": canonical,
    "referral rules": rule_asks,
    "model features": _model_features,
}


@pytest.mark.parametrize("pattern", ADVERSARIAL)
def test_each_building_block_reads_a_megabyte_of_adversarial_text(pattern):
    message = ADVERSARIAL[pattern](MB)
    assert len(message) >= MB - 20
    for block in BLOCKS.values():
        with hang_guard():
            block(message)


@pytest.mark.parametrize("pattern", ADVERSARIAL)
def test_check_message_refuses_a_megabyte_at_once_and_checks_the_largest_text_it_takes(pattern):
    with hang_guard(), pytest.raises(CrmError, match=r"^the message is [\d,]+ characters long; the limit is 20,000"):
        check_message(ADVERSARIAL[pattern](MB))
    largest = ADVERSARIAL[pattern](MAX_MESSAGE_CHARS)[:MAX_MESSAGE_CHARS]
    with hang_guard():
        if not largest.strip():
            with pytest.raises(CrmError, match="empty"):
                check_message(largest)
        else:
            result = check_message(largest)
            assert result.words == text.count_words(largest)


def test_the_cap_is_on_characters_and_one_over_it_is_a_one_line_reason():
    assert MAX_MESSAGE_CHARS == 20_000
    at_cap = ("word " * MAX_MESSAGE_CHARS)[:MAX_MESSAGE_CHARS]
    assert isinstance(check_message(at_cap), CheckResult)
    with pytest.raises(CrmError) as refused:
        check_message(at_cap + "x")
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("the message is 20,001 characters long; the limit is 20,000")


def test_crm_check_refuses_a_text_over_the_cap_with_exit_2(cli, tmp_path):
    big = tmp_path / "draft.txt"
    big.write_text("Could you refer me? " * 2000, encoding="utf-8")  # 40,000 characters
    for result in (cli("check", str(big)), cli("check", "-", stdin=big.read_text(encoding="utf-8"))):
        assert result.code == 2, (result.code, result.out, result.err)
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert "40,000 characters long; the limit is 20,000" in result.err
        assert "Traceback" not in result.err


def test_the_cases_the_issue_timed_now_check_quickly_enough_to_finish():
    """10,000 and 40,000 dots and an "x" (3 s and 45 s before; 300,000 never finished): the cap or a verdict."""
    for n in (10_000, 19_999, 40_000, 300_000):
        message = "." * n + "x"
        with hang_guard(5):
            if len(message) > MAX_MESSAGE_CHARS:
                with pytest.raises(CrmError, match="characters long"):
                    check_message(message)
            else:
                assert check_message(message).words == 1


# --------------------------------------------------------------------------- any text up to the cap
PIECES = (
    ".", "!", "?", "...", '?"', ". ", "'", "’", "-", "--", " - ", "—", "–", ",", "1,000", "3.2", " ", "  ", "\n",
    "\n\n", "\t", "e.g.", "U.S.", "vs.", "refer me", "could you", "please", "my resume", "to the recruiter", "but",
    "not", "thanks", "{{", "}}", "[", "]", "<a", ">", "TODO", "é", "東京", "\u00a0", "\u2028", "x", "I", "hope",
)  # fmt: skip
RUNS = st.lists(st.tuples(st.sampled_from(PIECES), st.integers(1, 3000)), min_size=1, max_size=12).map(
    lambda parts: "".join(piece * times for piece, times in parts)[:MAX_MESSAGE_CHARS]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(RUNS, st.text(max_size=3000)))
def test_any_text_up_to_the_cap_gets_a_verdict(message):
    with hang_guard():
        if not message.strip():
            with pytest.raises(CrmError, match="empty"):
                check_message(message)
            return
        result = check_message(message)
    assert result.words == text.count_words(message)
    for problem in result.problems:
        assert 0 <= problem.start <= problem.end <= len(message)
    for start, end, _ in find_referral_asks(message):
        assert 0 <= start < end <= len(message)
