"""The checkers of chapters 08 to 12 under odd answers: a list that contains itself, nan,
inf, enormous ints, arrays of the wrong shape or dtype, objects whose methods raise, and
functions and classes that return any of those. Each gets a verdict, never a crash; and
where the checker itself looks at the odd value (not the learner's code failing), the
verdict says what is wrong instead of passing on a traceback."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nnscratch.exercises import digits, layers, speed, tree_exercises, tree_framework
from nnscratch.exercises.core import Result
from nnscratch.exercises.layers import as_answer_array
from nnscratch.exercises.core import OpenEnded
from nnscratch.layers import Module
from nnscratch.tree import Macro, Operation

MODULES = (tree_framework, tree_exercises, layers, digits, speed)
# the problems with a check (an open-ended exercise has none to try odd answers on)
PROBLEMS = [(f"{m.__name__.rsplit('.', 1)[1]}.{q}", getattr(m, q)) for m in MODULES for q in m.__all__
            if q.startswith("q") and not isinstance(getattr(m, q), OpenEnded)]


class Hostile:
    """An answer whose every method raises."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise KeyError(name)

    def __eq__(self, other):
        raise RuntimeError("eq")

    def __float__(self):
        raise RuntimeError("float")

    def __len__(self):
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")

    def __bool__(self):
        raise RuntimeError("bool")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("array")

    def __repr__(self):
        raise RuntimeError("repr")

    __hash__ = None


def _self_referential() -> list:
    a: list = []
    a.append(a)
    return a


ODD = {
    "a list that contains itself": _self_referential(),
    "a pair of such lists": (_self_referential(), _self_referential()),
    "nan": math.nan, "inf": math.inf, "-inf": -math.inf,
    "an int of 401 digits": 10 ** 400, "an int of 5001 digits": -10 ** 5000,
    "None": None, "a str": "1.5", "bytes": b"12", "True": True, "a complex": 1 + 2j, "a hostile object": Hostile(),
    "an array of nan": np.full((3, 3), np.nan), "an array of bool": np.ones((2, 2), bool),
    "an object array": np.array([1, "a"], dtype=object), "an array of str": np.array(["1", "2"]),
    "an empty array": np.zeros(0), "a 3-d array": np.ones((2, 2, 2)), "a complex array": np.ones(3) * 1j,
    "a dict": {"a": 1}, "a set": {1, 2},
}

# ``Problem.grade`` (exercises/core.py) looks at every answer before a checker does, and
# the checkers ask its ``is_blank`` about what the learner's code returns: a value that
# contains itself is for its own tests.
SEEN_BY_GRADE_FIRST = {"a list that contains itself", "a pair of such lists"}


def answers():
    for name, value in ODD.items():
        if name not in SEEN_BY_GRADE_FIRST:
            yield f"the value {name}", value
        yield f"a function returning {name}", lambda *a, v=value, **k: v
        yield f"a function returning two of {name}", lambda *a, v=value, **k: (v, v)
        yield f"a function returning three of {name}", lambda *a, v=value, **k: (v, v, v)
        for base in (Operation, Macro, Module, object):
            def method(self, *a, v=value, **k):
                return v

            body = {n: method for n in ("op", "grad", "forward", "expand")}
            body["bwd"] = lambda self, out, inp, v=value: setattr(inp, "g", v)
            yield f"a {base.__name__} class whose methods give {name}", type("Odd", (base,), body)


ANSWERS = list(answers())


@pytest.mark.parametrize("name, problem", PROBLEMS, ids=[n for n, _ in PROBLEMS])
def test_every_checker_gives_a_verdict_for_every_odd_answer(name, problem):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy warning (ComplexWarning, overflow) on the way
        for description, answer in ANSWERS:
            result = problem.grade(*[answer] * len(problem.variables))
            assert isinstance(result, Result), (description, result)
            assert result.status in ("incorrect", "unattempted"), (description, result)
            assert isinstance(result.message, str) and 0 < len(result.message) < 1000, (description, result)


ARRAY_PROBLEMS = [(n, p) for n, p in PROBLEMS if n.split(".")[0] in ("layers", "digits", "speed")
                  or n in ("tree_framework.q1", "tree_exercises.q2", "tree_exercises.q3", "tree_exercises.q6")]


@pytest.mark.parametrize("name, problem", ARRAY_PROBLEMS, ids=[n for n, _ in ARRAY_PROBLEMS])
def test_an_odd_value_returned_by_the_learner_gets_a_reason_not_a_traceback(name, problem):
    for description, answer in ANSWERS:
        if not description.startswith("a function returning") or "hostile" in description or any(
                kind in description for kind in SEEN_BY_GRADE_FIRST):
            continue  # a hostile object's own exceptions are its story to tell
        message = problem.grade(*[answer] * len(problem.variables)).message
        assert not message.startswith("checking your answer raised"), (description, message)


@pytest.mark.parametrize("answer, reason", [
    ("1.5", r"is text \(str\)"),
    (np.ones((2, 2), bool), "holds True and False"),
    (True, "holds True and False"),
    (np.ones(2) * 1j, "holds complex numbers"),
    (np.array([1, None], dtype=object), "NumPy reads it as object"),
    ([10 ** 400, 1], "NumPy reads it as object"),
    ([[1.0], [2.0, 3.0]], "NumPy cannot read it as one"),
    (Hostile(), "NumPy cannot read it as one"),
    (None, "is None: did you forget `return`"),
])
def test_an_answer_that_is_not_an_array_of_numbers_is_told_why(answer, reason):
    from nnscratch.exercises.core import Wrong

    with pytest.raises(Wrong, match=reason):
        as_answer_array(answer, "`x`")
    assert as_answer_array([1, 2], "`x`").dtype == np.float64


def test_counts_that_are_negative_or_enormous_are_named():
    assert "a negative number" in speed.q1.grade(lambda root: -5).message
    for huge in (10 ** 20, 10 ** 5000):
        assert "an enormous number" in speed.q1.grade(lambda root, n=huge: n).message
    assert "an int of about 5,001 digits" in tree_framework.q1.grade(lambda node: 10 ** 5000).message


def test_a_numpy_array_is_as_good_as_a_list_for_softmax_backward():
    def softmax_backward(p, g):
        p, g = np.array(p), np.array(g)
        return p * (g - p @ g)

    assert tree_exercises.q5.grade(softmax_backward).correct


def test_an_op_that_returns_a_list_or_the_blank_is_explained_for_the_package_classes():
    from nnscratch.exercises import ____

    def tanh(op, grad=lambda self: [1.0]):
        return type("Tanh", (Operation,), {"__slots__": (), "op": op, "grad": grad})

    assert tree_framework.q4.grade(tanh(lambda self, x: ____)).status == "unattempted"
    assert "op returned a list" in tree_framework.q4.grade(tanh(lambda self, x: [math.tanh(x[0])])).message
    assert "op returned 1.0, which is not tanh(-2.0)" in tree_framework.q4.grade(tanh(lambda self, x: 1.0)).message


def test_a_tanh_module_whose_bwd_stores_nan_or_the_blank_gets_a_verdict():
    from nnscratch.exercises import ____

    def tanh(bwd):
        return type("Tanh", (Module,), {"forward": lambda self, x: np.tanh(x), "bwd": bwd})

    assert layers.q2.grade(tanh(lambda self, out, inp: setattr(inp, "g", ____))).status == "unattempted"
    nan = layers.q2.grade(tanh(lambda self, out, inp: setattr(inp, "g", out.g * np.nan)))
    assert "holds nan or inf" in nan.message
    missing = layers.q2.grade(tanh(lambda self, out, inp: None))
    assert "`inp.g` is None" in missing.message
