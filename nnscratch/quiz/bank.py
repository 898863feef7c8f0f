"""A chapter's self-check questions: where their file is, and what a valid file holds.

Each chapter's questions are one JSON file, ``book/quizzes/<chapter>.json``, named like
the chapter's notebook (``03_backprop_by_hand.json``). The file is a list of
questions in jupyterquiz's format, restricted to what every place the book is read
can show, plus an ``id`` for each question:

* ``{"id", "type": "multiple_choice", "question", "answers"}``, each answer
  ``{"answer", "correct", "feedback"}``: exactly one right answer, at least two wrong
  ones, and feedback on every answer that says why it is right or wrong;
* ``{"id", "type": "numeric", "question", "answers"}`` with an optional
  ``"precision"`` (significant figures compared) and ``"computed_by"`` (the function
  in the tests that computes the right answer). Its answers are tried in order, the
  first that matches decides: ``{"type": "value", "value", "correct", "feedback"}``,
  ``{"type": "range", "range": [low, high], "correct", "feedback"}`` (low <= x <
  high), and last ``{"type": "default", "feedback"}`` for any other number. Exactly
  one answer is right, and no wrong one matches it.

Texts are HTML with a few inline tags only (``code em strong sub sup``) and no TeX:
the notebooks' front ends do not typeset math in an output, so write ∂L/∂a, x², w<sub>2</sub>.

The package carries a copy of ``book/quizzes/`` as ``nnscratch/quizzes/`` (see
pyproject.toml), so a chapter opened on its own, as on Colab, finds its questions.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .grading import matches

__all__ = ["QuestionFileError", "Question", "quiz_folder", "chapters", "load", "validate"]

Question = dict[str, Any]

CHAPTER = re.compile(r"\d\d_[a-z0-9_]+")
QUESTION_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
INLINE_TAGS = frozenset({"code", "em", "strong", "sub", "sup"})

_HERE = Path(__file__).resolve().parent
# An installed package has nnscratch/quizzes/; a checkout of the course has book/quizzes/.
FOLDERS = (_HERE.parent / "quizzes", _HERE.parent.parent / "book" / "quizzes")

KEYS = {
    "multiple_choice": ({"id", "type", "question", "answers"}, set()),
    "numeric": ({"id", "type", "question", "answers"}, {"precision", "computed_by"}),
}
CHOICE_KEYS = {"answer", "correct", "feedback"}
NUMERIC_KEYS = {
    "value": {"type", "value", "correct", "feedback"},
    "range": {"type", "range", "correct", "feedback"},
    "default": {"type", "feedback"},
}


class QuestionFileError(ValueError):
    """A question file that breaks the format. The message names the file, the
    question and the rule."""


def quiz_folder() -> Path:
    """The folder that holds the chapters' question files."""
    for folder in FOLDERS:
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        "no folder of questions: looked for "
        + " and ".join(str(f) for f in FOLDERS)
        + ". Reinstall the package (pip install nnscratch) or run from a checkout of the course."
    )


def chapters() -> list[str]:
    """The chapters that have questions, in order."""
    return sorted(p.stem for p in quiz_folder().glob("*.json"))


def load(chapter: str) -> list[Question]:
    """The questions of ``chapter`` (a notebook's name, ``"03_backprop_by_hand"``),
    checked against the format."""
    if not isinstance(chapter, str) or not CHAPTER.fullmatch(chapter):
        raise ValueError(f"a chapter is named like its notebook, e.g. '03_backprop_by_hand'; got {chapter!r}")
    path = quiz_folder() / f"{chapter}.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"chapter {chapter!r} has no questions: no file {path}. "
            f"The chapters with questions are: {', '.join(chapters()) or 'none'}."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise QuestionFileError(f"{path.name}: not valid JSON: {exc}") from exc
    return validate(data, path.name)


def validate(data: Any, source: str) -> list[Question]:
    """``data`` if it is a valid list of questions; else a `QuestionFileError` that
    names ``source``, the question and what is wrong."""
    if not isinstance(data, list) or not data:
        raise QuestionFileError(f"{source}: a question file holds a non-empty list of questions")
    seen: set[str] = set()
    for index, question in enumerate(data):
        where = f"{source}, question {index + 1}"
        if not isinstance(question, dict):
            raise QuestionFileError(f"{where}: a question is an object, not {type(question).__name__}")
        qid = question.get("id")
        if not isinstance(qid, str) or not QUESTION_ID.fullmatch(qid):
            raise QuestionFileError(f"{where}: needs an \"id\" of lower-case words joined by hyphens, got {qid!r}")
        where = f"{source}, question {qid!r}"
        if qid in seen:
            raise QuestionFileError(f"{where}: the id is used twice")
        seen.add(qid)
        _check_question(question, where)
    return data


def _check_question(question: Question, where: str) -> None:
    kind = question.get("type")
    if kind not in KEYS:
        raise QuestionFileError(
            f"{where}: \"type\" must be \"multiple_choice\" or \"numeric\", got {kind!r}")
    required, optional = KEYS[kind]
    _check_keys(question, required, optional, where)
    _check_text(question["question"], f"{where}, its text")
    answers = question["answers"]
    if not isinstance(answers, list):
        raise QuestionFileError(f"{where}: \"answers\" is a list")
    if kind == "multiple_choice":
        _check_choices(answers, where)
    else:
        _check_numeric(question, answers, where)


def _check_keys(obj: dict, required: set[str], optional: set[str], where: str) -> None:
    missing = sorted(required - obj.keys())
    if missing:
        raise QuestionFileError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(obj.keys() - required - optional)
    if unknown:
        raise QuestionFileError(
            f"{where}: unknown key {', '.join(unknown)} (allowed: {', '.join(sorted(required | optional))})")


def _check_choices(answers: list, where: str) -> None:
    if len(answers) < 3:
        raise QuestionFileError(f"{where}: a multiple-choice question offers at least three answers")
    for k, answer in enumerate(answers):
        at = f"{where}, answer {k + 1}"
        if not isinstance(answer, dict):
            raise QuestionFileError(f"{at}: an answer is an object")
        _check_keys(answer, CHOICE_KEYS, set(), at)
        _check_text(answer["answer"], at)
        _check_bool(answer["correct"], at)
        _check_text(answer["feedback"], f"{at}, its feedback")
    right = sum(a["correct"] for a in answers)
    if right != 1:
        raise QuestionFileError(f"{where}: exactly one answer is right (\"correct\": true), found {right}")


def _check_numeric(question: Question, answers: list, where: str) -> None:
    precision = question.get("precision")
    if precision is not None and (type(precision) is not int or not 1 <= precision <= 15):
        raise QuestionFileError(f"{where}: \"precision\" is a whole number of significant figures, 1 to 15")
    computed_by = question.get("computed_by")
    if computed_by is not None and (not isinstance(computed_by, str) or not computed_by.isidentifier()):
        raise QuestionFileError(f"{where}: \"computed_by\" names a function, got {computed_by!r}")
    for k, answer in enumerate(answers):
        at = f"{where}, answer {k + 1}"
        if not isinstance(answer, dict) or answer.get("type") not in NUMERIC_KEYS:
            raise QuestionFileError(f"{at}: an answer has \"type\" \"value\", \"range\" or \"default\"")
        _check_keys(answer, NUMERIC_KEYS[answer["type"]], set(), at)
        _check_text(answer["feedback"], f"{at}, its feedback")
        if answer["type"] == "value":
            _check_number(answer["value"], f"{at}, its value")
        elif answer["type"] == "range":
            bounds = answer["range"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise QuestionFileError(f"{at}: \"range\" is [low, high]")
            for bound in bounds:
                _check_number(bound, f"{at}, its range")
            if not bounds[0] < bounds[1]:
                raise QuestionFileError(f"{at}: the range [low, high] needs low < high")
        if answer["type"] != "default":
            _check_bool(answer["correct"], at)
    kinds = [a["type"] for a in answers]
    if kinds.count("default") != 1 or kinds[-1] != "default":
        raise QuestionFileError(
            f"{where}: the last answer, and only the last, is the \"default\": the feedback for any other number")
    right = [a for a in answers if a.get("correct") is True]
    if len(right) != 1:
        raise QuestionFileError(f"{where}: exactly one answer is right (\"correct\": true), found {len(right)}")
    (answer,) = right
    probes = [answer["value"]] if answer["type"] == "value" else answer["range"][:1]
    for k, other in enumerate(answers[:-1]):
        if other is not answer and any(matches(other, x, precision) for x in probes):
            raise QuestionFileError(
                f"{where}, answer {k + 1}: this wrong answer also matches the right one, {probes[0]!r}")


def _check_bool(value: Any, where: str) -> None:
    if type(value) is not bool:
        raise QuestionFileError(f"{where}: \"correct\" is true or false, got {value!r}")


def _check_number(value: Any, where: str) -> None:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise QuestionFileError(f"{where}: expected a finite number, got {value!r}")


class _InlineHTML(HTMLParser):
    """Collects the tags a text uses, in order, to check they are the allowed few."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in INLINE_TAGS:
            self.problems.append(f"the tag <{tag}> (allowed: {', '.join(sorted(INLINE_TAGS))})")
        elif attrs:
            self.problems.append(f"attributes on <{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"a </{tag}> that closes nothing open")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.problems.append(f"the tag <{tag}/>")


def _check_text(text: Any, where: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise QuestionFileError(f"{where}: expected some text, got {text!r}")
    if "$" in text or "\\(" in text or "\\[" in text:
        raise QuestionFileError(
            f"{where}: uses TeX, which a notebook's output does not typeset; write the math "
            "in Unicode and <sub>/<sup> (∂L/∂a, x², w<sub>2</sub>)")
    stray = re.sub(r"</?[a-z]+\b[^<>]*>", "", text)
    if "<" in stray:
        raise QuestionFileError(
            f"{where}: a bare < (a page may read it as the start of a tag); write it as "
            "&lt;, or say it in words")
    parser = _InlineHTML()
    parser.feed(text)
    parser.close()
    if parser.open:
        parser.problems.append(f"<{parser.open[-1]}> is never closed")
    if parser.problems:
        raise QuestionFileError(f"{where}: {'; '.join(parser.problems)}")
