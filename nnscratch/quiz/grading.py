"""How a self-check answer is judged. The page does the judging, in ``quiz.js``; this
is the same rule in Python, which the tests hold the page to.

A number is read from what the reader typed: a decimal (``-0.5``, ``.5``, ``2e-3``),
with ``−`` accepted for the minus sign, or a fraction of two of them (``5/9``).
With a ``precision`` of p, the reader's number and the file's are both rounded to p
significant figures (half away from zero, as JavaScript's ``toPrecision``) before they
are compared; a range ``[low, high]`` matches ``low <= x < high`` for the rounded x.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from html import unescape
from typing import Any, Literal

__all__ = ["WORDS", "Verdict", "read_number", "rounded", "matches", "grade", "plain_text"]

# What the page says, in the verdict line; the page reads these from the HTML, so that
# they are written here only.
WORDS = {
    "right": "✓ Correct.",
    "wrong": "✗ Not quite.",
    "choose": "○ Choose an answer, then check it.",
    "empty": "○ Type your answer first.",
    "unreadable": "○ That is not a number this page can read: type one such as 0.5, -3 or 5/9.",
}

# ASCII digits only, as in the page (Python's \d would also take other scripts' digits).
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Verdict:
    """``state`` is ``"right"``, ``"wrong"`` or, for no answer to judge, the key of
    the message in `WORDS`; ``feedback`` is the answer's feedback (HTML)."""

    state: Literal["right", "wrong", "choose", "empty", "unreadable"]
    feedback: str = ""

    @property
    def correct(self) -> bool | None:
        return {"right": True, "wrong": False}.get(self.state)

    @property
    def message(self) -> str:
        """The verdict line as the page shows it, in plain text."""
        if self.correct is None:
            return WORDS[self.state]
        return f"{WORDS[self.state]} {plain_text(self.feedback)}"


def read_number(text: str) -> float | None:
    """The number ``text`` spells, or None if it spells none."""
    parts = text.strip().replace("\u2212", "-").split("/")
    if len(parts) > 2 or not all(NUMBER.fullmatch(p.strip()) for p in parts):
        return None
    x = float(parts[0])
    if len(parts) == 2:
        d = float(parts[1])
        if d == 0:
            return None
        x /= d
    return x if math.isfinite(x) else None


def rounded(x: float, precision: int | None) -> float:
    """``x`` rounded to ``precision`` significant figures (None: unchanged)."""
    if precision is None:
        return x
    return float(Context(prec=precision, rounding=ROUND_HALF_UP).plus(Decimal(x)))


def matches(answer: dict[str, Any], x: float, precision: int | None) -> bool:
    """Whether the numeric ``answer`` (a value or a range) matches the number ``x``."""
    x = rounded(x, precision)
    if answer["type"] == "value":
        return x == rounded(answer["value"], precision)
    if answer["type"] == "range":
        low, high = answer["range"]
        return low <= x < high
    return False


def grade(question: dict[str, Any], answer: str | int | None) -> Verdict:
    """The verdict on ``answer``: for a numeric question the text typed, for a
    multiple-choice one the index of the choice (None: nothing chosen)."""
    if question["type"] == "multiple_choice":
        if answer is None:
            return Verdict("choose")
        choice = question["answers"][answer]
        return Verdict("right" if choice["correct"] else "wrong", choice["feedback"])
    if not str(answer or "").strip():
        return Verdict("empty")
    x = read_number(str(answer))
    if x is None:
        return Verdict("unreadable")
    precision = question.get("precision")
    for entry in question["answers"]:
        if entry["type"] == "default" or matches(entry, x, precision):
            return Verdict("right" if entry.get("correct") else "wrong", entry["feedback"])
    raise AssertionError("a valid numeric question ends with a default answer")


def plain_text(html: str) -> str:
    """A text of the questions' inline HTML, without its tags."""
    return unescape(re.sub(r"<[^>]*>", "", html))
