"""Exercises that check themselves.

In a chapter, a learner replaces the blank ``____`` in a starter cell with an answer
and runs ``q1.check()``. The check reads the answer from the notebook's variables by
name and prints one of three verdicts:

* **Correct**;
* **Not attempted yet**: the blank is still there, or the variable is not defined;
* **Not quite**: with what is off (a wrong sign, a wrong gradient of ``b``, ...),
  never with the expected answer itself.

``q1.hint()`` prints the first hint, ``q1.hint(2)`` the second, and ``q1.solution()``
prints a worked solution. ``q1.grade(...)`` returns the verdict as a `Result` instead of
printing it; the tests use it.

A problem is a `Problem` subclass that says which variables it reads and implements
``_grade``: return ``None`` for a correct answer, or a message saying what is wrong.
`NumberProblem` and `FunctionProblem` cover the common cases.
"""

from __future__ import annotations

import math
import numbers
import sys
import textwrap
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "____",
    "Blank",
    "Result",
    "Problem",
    "Wrong",
    "Unattempted",
    "as_number",
    "NumberProblem",
    "FunctionProblem",
    "is_blank",
    "mentions_blank",
    "describe_number_error",
    "OpenEnded",
]


class Blank:
    """The placeholder ``____`` that starter code leaves for the learner to fill in."""

    _instance: Blank | None = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"


____ = Blank()


def is_blank(answer: Any) -> bool:
    """True if ``answer`` is the blank or holds one (in a list, tuple, set or dict, at
    any depth).

    A loop over an explicit stack, which visits each container once: a list that
    contains itself, or one nested a million deep, is answered like any other. A
    container that cannot be looked into (its iteration raises) holds no blank.
    """
    stack = [answer]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if type(item) is Blank:
            return True
        kind = type(item)
        if issubclass(kind, (list, tuple, set, frozenset, dict)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            try:
                stack.extend(item.items() if issubclass(kind, dict) else item)
            except Exception:
                continue
    return False


def mentions_blank(function: Any) -> bool:
    """True if the code of ``function`` (of what it wraps, for a decorated function), or
    of a function defined inside it, still names the blank ``____``."""
    function = getattr(function, "__wrapped__", function)
    code = getattr(function, "__code__", None)
    stack = [code] if code is not None else []
    while stack:
        c = stack.pop()
        if "____" in c.co_names:
            return True
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return False


Status = Literal["correct", "incorrect", "unattempted"]

_MARKS = {"correct": "✓ Correct", "incorrect": "✗ Not quite", "unattempted": "○ Not attempted yet"}


@dataclass(frozen=True)
class Result:
    """The verdict on an answer: its status and a message for the learner."""

    status: Status
    message: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        head = _MARKS[self.status]
        text = f"{head}: {self.message}" if self.message else f"{head}."
        # Wrapped so that it reads without scrolling in a notebook and in the book.
        return textwrap.fill(text, width=76, subsequent_indent="  ", break_on_hyphens=False)


class _Missing:
    """Stands for a variable that the notebook has not defined."""

    def __repr__(self) -> str:
        return "<not defined>"


_MISSING = _Missing()


class Wrong(Exception):
    """Raised while grading to reject an answer; its message goes to the learner."""


class Unattempted(Exception):
    """Raised while grading when a blank turns up inside an answer (e.g. a function
    that still returns ``____``); its message goes to the learner."""



class Problem:
    """One exercise: reads the learner's variables, grades them, gives hints and a solution.

    Subclasses implement ``_grade(*answers)``, returning ``None`` when the answer is
    right or a message that says what is off (without giving the answer away); it may
    also raise `Wrong` with that message.
    """

    def __init__(
        self,
        variables: Sequence[str],
        hints: Sequence[str],
        solution: str,
        praise: str = "",
        explanation: str = "",
    ) -> None:
        if isinstance(variables, str):
            variables = (variables,)
        if not variables:
            raise ValueError("a problem reads at least one variable")
        if not hints:
            raise ValueError("a problem needs at least one hint")
        if not solution.strip():
            raise ValueError("a problem needs a solution")
        self.variables = tuple(variables)
        self.hints = tuple(hints)
        self._solution = solution.strip("\n")
        self.explanation = explanation.strip()
        self.praise = praise

    # -- what a learner calls ------------------------------------------------------

    def check(self) -> None:
        """Grade the answer in the notebook's variables and print the verdict."""
        caller = sys._getframe(1).f_globals
        print(self.grade(*(caller.get(name, _MISSING) for name in self.variables)))

    def hint(self, n: int = 1) -> None:
        """Print hint number ``n`` (1, 2, ...)."""
        _print_hint(self.hints, n)

    def solution(self) -> None:
        """Print a worked solution."""
        print("Solution:\n")
        print(self._solution)
        if self.explanation:
            print()
            print(self.explanation)

    # A hint or the solution as a notebook shows it: a box with a coloured edge in the
    # blue of the exercise boxes (green for the solution) around a <details> block.
    # The class is for the book's stylesheet; the inline style is for JupyterLab and
    # Colab, whose sanitizers keep the style attribute of a markdown cell's HTML (with
    # these properties) but no stylesheet. Where a style is dropped, the dropdown still
    # folds and unfolds.
    _BOX_STYLE = ("margin: 0.6em 0; padding: 0.3em 0.9em; border-left: 4px solid {edge}; "
                  "border-radius: 4px; background-color: {tint}")
    _BOX_COLOURS = {
        "hint": ("#4a90d9", "rgba(74, 144, 217, 0.1)"),
        "solution": ("#3d9a5f", "rgba(61, 154, 95, 0.1)"),
    }

    @classmethod
    def _dropdown(cls, kind: str, title: str, body: str) -> str:
        edge, tint = cls._BOX_COLOURS[kind]
        style = cls._BOX_STYLE.format(edge=edge, tint=tint)
        return (f'<div class="nnscratch-{kind}" style="{style}">\n<details>\n'
                f"<summary>{title}</summary>\n\n{body}\n\n</details>\n</div>")

    def as_markdown(self) -> str:
        """The hints and the solution as collapsed dropdowns (``<details>`` blocks in a
        styled box), for the markdown cell under the exercise in the chapter's notebook:
        they stay folded until clicked in JupyterLab, Colab and the book."""
        solution = f"```python\n{self._solution}\n```"
        if self.explanation:
            solution += f"\n\n{self.explanation}"
        return _dropdowns(self.hints, "Solution", solution)

    # -- what the check does -------------------------------------------------------

    def grade(self, *answers: Any) -> Result:
        """The verdict on ``answers`` (one per variable, in order) as a `Result`."""
        if len(answers) != len(self.variables):
            raise TypeError(f"expected {len(self.variables)} answers ({', '.join(self.variables)}), got {len(answers)}")
        for name, answer in zip(self.variables, answers):
            if answer is _MISSING:
                return Result("unattempted", f"`{name}` is not defined yet. Run the cell that sets it, then check again.")
        blanks = [n for n, a in zip(self.variables, answers) if is_blank(a)]
        if blanks:
            return Result("unattempted", f"replace the ____ in `{'`, `'.join(blanks)}` with your answer, run that cell, then check again.")
        try:
            problem = self._grade(*answers)
        except Unattempted as blank:
            return Result("unattempted", str(blank))
        except Wrong as wrong:
            return Result("incorrect", str(wrong))
        except Exception as exc:  # the learner's code failed while being checked
            return Result("incorrect", f"checking your answer raised {_describe_exception(exc)}")
        if problem is None:
            return Result("correct", self.praise)
        return Result("incorrect", problem)

    def _grade(self, *answers: Any) -> str | None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<exercise: check(), hint(), solution(); reads {', '.join(self.variables)}>"


def _print_hint(hints: Sequence[str], n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(hints):
        count = len(hints)
        if count == 0:
            print("This exercise has no hints.")
            return
        print(f"There {'is' if count == 1 else 'are'} {count} hint{'s' * (count != 1)}: "
              f"ask for one with hint(1){' to hint(%d)' % count if count > 1 else ''}.")
        return
    more = f"  (more: hint({n + 1}))" if n < len(hints) else ""
    print(f"Hint {n}: {hints[n - 1]}{more}")


def _dropdowns(hints: Sequence[str], last_title: str, last_body: str) -> str:
    """Each hint, then the solution (or discussion), as dropdowns (`Problem._dropdown`)."""
    blocks = []
    for i, hint in enumerate(hints, 1):
        title = "Hint" if len(hints) == 1 else f"Hint {i}"
        blocks.append(Problem._dropdown("hint", title, hint))
    blocks.append(Problem._dropdown("solution", last_title, last_body))
    return "\n\n".join(blocks)


class OpenEnded:
    """An exercise with no single right answer (an experiment to run, a design to try, a
    question to think through), with a discussion to compare with instead of a check.

    In a chapter its statement box is titled "Open-ended: ...", and the markdown cell
    under it holds exactly ``as_markdown()``: the hints and the discussion as dropdowns.
    """

    def __init__(self, discussion: str, hints: Sequence[str] = ()) -> None:
        if isinstance(hints, str):
            raise TypeError("hints must be a list of strings, not one string")
        if not discussion.strip():
            raise ValueError("an open-ended exercise needs a discussion")
        self.hints = tuple(hints)
        self._discussion = discussion.strip("\n")

    def check(self) -> None:
        """There is nothing to check: say so, and where to compare."""
        print("◇ Open-ended: there is no single answer to check.\n"
              "  Try it, note what you find, then compare with the discussion: discussion().")

    def hint(self, n: int = 1) -> None:
        """Print hint number ``n`` (1, 2, ...)."""
        _print_hint(self.hints, n)

    def discussion(self) -> None:
        """Print the discussion: what one finds, and why."""
        print("Discussion:\n")
        print(self._discussion)

    solution = discussion

    def as_markdown(self) -> str:
        """The hints and the discussion as collapsed dropdowns, like `Problem.as_markdown`."""
        return _dropdowns(self.hints, "Discussion", self._discussion)

    def __repr__(self) -> str:
        return "<open-ended exercise: hint(), discussion()>"


def as_number(answer: Any, name: str) -> float:
    """``answer`` as a float; raises `Wrong` saying why if it is not a number.

    nan and infinity come back as they are (`describe_number_error` explains them); an
    int too large for a float, or a number whose conversion fails, is `Wrong`.
    """
    kind = type(answer)
    if _has_attributes(answer, "data", "grad"):
        raise Wrong(f"`{name}` is a Value; the answer is a plain number (a Value's .data or .grad).")
    if issubclass(kind, bool) or not issubclass(kind, numbers.Real):
        raise Wrong(f"`{name}` should be a number, but it is a {kind.__name__}.")
    try:
        return float(answer)
    except OverflowError:
        raise Wrong(f"`{name}` is a whole number far too large to be the answer "
                    "(it does not even fit in a float).") from None
    except Exception as exc:
        raise Wrong(f"`{name}` could not be read as a number: converting it raised "
                    f"{_describe_exception(exc)}.") from None


def _has_attributes(obj: Any, *names: str) -> bool:
    """hasattr for each name, where an attribute lookup that raises counts as missing."""
    for name in names:
        try:
            getattr(obj, name)
        except Exception:
            return False
    return True


def _describe_exception(exc: BaseException) -> str:
    """'ValueError: message', even for an exception whose str() itself fails."""
    try:
        text = str(exc)
    except Exception:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def describe_number_error(name: str, got: float, expected: float) -> str:
    """Say how ``got`` is off from ``expected`` without giving ``expected`` away."""
    if math.isnan(got):
        return f"`{name}` is nan (not a number): something divided 0 by 0 or subtracted infinities."
    if math.isinf(got):
        return f"`{name}` is infinite: something divided by zero or overflowed."
    if expected != 0 and got != 0 and math.copysign(1, got) != math.copysign(1, expected):
        if math.isclose(abs(got), abs(expected), rel_tol=1e-6, abs_tol=1e-9):
            return f"`{name}` has the right size but the wrong sign."
        return f"`{name}` has the wrong sign."
    if expected != 0 and math.isclose(got, 2 * expected, rel_tol=1e-6):
        return f"`{name}` is twice as large as it should be."
    if expected != 0 and math.isclose(2 * got, expected, rel_tol=1e-6):
        return f"`{name}` is half as large as it should be."
    if expected == 0:
        # Any hint of direction here would give the answer away.
        return f"`{name}` is not right (yours is {got:.6g})."
    size = "large" if abs(got) > abs(expected) else "small"
    if expected < 0:  # -10 is "too large" only in size
        return f"`{name}` is too {size} in size."
    return f"`{name}` is too {size}."


class NumberProblem(Problem):
    """The answer is one number per variable, each compared within a tolerance.

    ``mistakes`` maps a test on the answers to a message, for wrong answers worth a
    specific explanation (checked in order, before the generic ones).
    """

    def __init__(
        self,
        variables: Sequence[str] | str,
        expected: Sequence[float] | float,
        hints: Sequence[str],
        solution: str,
        rel_tol: float = 1e-6,
        abs_tol: float = 1e-9,
        mistakes: Iterable[tuple[Callable[..., bool], str]] = (),
        praise: str = "",
        explanation: str = "",
    ) -> None:
        super().__init__(variables, hints, solution, praise, explanation)
        expected = (expected,) if isinstance(expected, (int, float)) else tuple(expected)
        if len(expected) != len(self.variables):
            raise ValueError("one expected number per variable")
        self.expected = tuple(float(e) for e in expected)
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        self.mistakes = tuple(mistakes)

    def _grade(self, *answers: Any) -> str | None:
        got = [as_number(a, n) for a, n in zip(answers, self.variables)]
        close = [math.isclose(g, e, rel_tol=self.rel_tol, abs_tol=self.abs_tol) for g, e in zip(got, self.expected)]
        if all(close):
            return None
        for test, message in self.mistakes:
            if test(*got):
                return message
        wrong = [(n, g, e) for n, g, e, ok in zip(self.variables, got, self.expected, close) if not ok]
        return " ".join(describe_number_error(n, g, e) for n, g, e in wrong)


class FunctionProblem(Problem):
    """The answer is a function, tested on input/output pairs.

    ``cases`` is a list of ``(args, expected)``; a wrong output is reported with its
    input, never with the expected output.
    """

    def __init__(
        self,
        variable: str,
        cases: Sequence[tuple[tuple[Any, ...], float]],
        hints: Sequence[str],
        solution: str,
        rel_tol: float = 1e-6,
        abs_tol: float = 1e-9,
        praise: str = "",
        explanation: str = "",
    ) -> None:
        super().__init__((variable,), hints, solution, praise, explanation)
        if not cases:
            raise ValueError("a function problem needs test cases")
        self.cases = tuple(cases)
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol

    def _grade(self, f: Any) -> str | None:
        name = self.variables[0]
        if not callable(f):
            return f"`{name}` should be a function, but it is a {type(f).__name__}."
        for args, expected in self.cases:
            call = f"{name}({', '.join(repr(a) for a in args)})"
            out = f(*args)
            if is_blank(out):
                raise Unattempted(f"`{name}` still returns ____: fill in its body, run that cell, then check again.")
            if out is None:
                return f"{call} returned None: did you forget `return`?"
            value = as_number(out, call)
            if not math.isclose(value, expected, rel_tol=self.rel_tol, abs_tol=self.abs_tol):
                return f"{call} returned {value!r}, which is not right. " + describe_number_error(call, value, expected)
        return None
