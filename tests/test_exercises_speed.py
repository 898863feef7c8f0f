"""The exercises of chapter 12 (making the engine fast) accept their reference answers,
tell a blank from a wrong answer, and explain typical wrong answers without giving the
answer away."""

from __future__ import annotations

import numpy as np
import pytest

from nnscratch.exercises import ____
from nnscratch.exercises.speed import q1, q2, q3, q4, q5, q6
from nnscratch.layers import Hinge


def run_solution(problem, name, **scope):
    scope.setdefault("np", np)
    exec(problem._solution, scope)
    return scope[name]


# -- q1: count_nodes -------------------------------------------------------------


def test_q1_solution_is_correct():
    assert q1.grade(run_solution(q1, "count_nodes")).correct


def test_q1_unattempted():
    assert q1.grade(____).status == "unattempted"
    assert q1.grade(lambda root: ____).status == "unattempted"


def count_paths(root):
    return 1 + sum(count_paths(c) for c in root.children)


def count_recursive(root, seen=None):
    seen = set() if seen is None else seen
    if root not in seen:
        seen.add(root)
        for c in root.children:
            count_recursive(c, seen)
    return len(seen)


def count_without_root(root):
    return run_solution(q1, "count_nodes")(root) - 1


def count_ops(root):
    seen, stack = {root}, [root]
    while stack:
        for c in stack.pop().children:
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return sum(1 for n in seen if n.children)


@pytest.mark.parametrize(
    "wrong, message",
    [
        (count_paths, "once for every path"),
        (count_recursive, "recursion limit"),
        (count_without_root, "count the root itself"),
        (count_ops, "not the number of distinct nodes"),
        (lambda root: None, "forget `return`"),
        (lambda root: 5.0, "whole number"),
        ("count_nodes", "should be a function"),
    ],
)
def test_q1_wrong_answers_are_explained(wrong, message):
    result = q1.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message


# -- q2: mul without closures -------------------------------------------------------


class Node:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0.0
        self.children = children
        self.local_grads = local_grads


def test_q2_solution_is_correct():
    assert q2.grade(Node, run_solution(q2, "mul", Node=Node)).correct


def test_q2_unattempted():
    assert q2.grade(Node, ____).status == "unattempted"
    assert q2.grade(Node, lambda a, b: Node(a.data * b.data, children=____, local_grads=____)).status == "unattempted"


@pytest.mark.parametrize(
    "mul, message",
    [
        (lambda a, b: Node(a.data * b.data, (a, b), (a.data, b.data)), "swapped"),
        (lambda a, b: Node(a.data * b.data, (b, a), (a.data, b.data)), "lists b before a"),
        (lambda a, b: Node(a.data * b.data, (a, b), (b, a)), "holds Nodes"),
        (lambda a, b: Node(a.data * b.data, (a, b), (1.0, 1.0)), "those of addition"),
        (lambda a, b: Node(a.data + b.data, (a, b), (b.data, a.data)), "is not a·b"),
        (lambda a, b: Node(a.data * b.data, (Node(a.data), Node(b.data)), (b.data, a.data)), "not copies"),
        (lambda a, b: Node(a.data * b.data, (a.data, b.data), (b.data, a.data)), "the Nodes a and b themselves"),
        (lambda a, b: Node(a.data * b.data, (a, b), (b.data,)), "two numbers"),
        (lambda a, b: Node(a.data * b.data, (a, b), (2 * b.data, a.data)), "are not d(a·b)/da"),
        (lambda a, b: a.data * b.data, "should return a Node"),
        (lambda a, b: None, "forget `return`"),
    ],
)
def test_q2_wrong_answers_are_explained(mul, message):
    result = q2.grade(Node, mul)
    assert result.status == "incorrect"
    assert message in result.message


# -- q3: hinge on arrays -------------------------------------------------------------


def test_q3_solution_is_correct_and_matches_the_package():
    f = run_solution(q3, "hinge_loss_and_grad")
    assert q3.grade(f).correct
    s = np.array([[0.3], [-2.0], [1.0], [0.2]])
    y = np.array([1, 1, 1, -1])
    hinge = Hinge()
    value = hinge(s, y)
    hinge.backward()
    loss, grad = f(s[:, 0], y)
    assert float(value.data) == pytest.approx(loss)
    np.testing.assert_allclose(hinge.args[0].g[:, 0], grad)


def test_q3_unattempted():
    assert q3.grade(____).status == "unattempted"
    assert q3.grade(lambda s, y: ____).status == "unattempted"


def margins(s, y):
    return 1 - y * s


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda s, y: (np.maximum(margins(s, y), 0).sum(), np.where(margins(s, y) > 0, -y, 0) / len(s)), "the sum over the examples"),
        (lambda s, y: (margins(s, y).mean(), np.where(margins(s, y) > 0, -y, 0) / len(s)), "without clipping"),
        (lambda s, y: (np.maximum(margins(s, y), 0).mean(), np.where(margins(s, y) > 0, -y, 0)), "n times too large"),
        (lambda s, y: (np.maximum(margins(s, y), 0).mean(), np.where(margins(s, y) > 0, y, 0) / len(s)), "wrong sign"),
        (lambda s, y: (np.maximum(margins(s, y), 0).mean(), np.where(margins(s, y) >= 0, -y, 0) / len(s)), "exactly 0"),
        (lambda s, y: (np.maximum(margins(s, y), 0).mean(), -y / len(s)), "everywhere"),
        (lambda s, y: (np.maximum(margins(s, y), 0).mean(), np.where(margins(s, y) > 0, -s, 0) / len(s)), "slope of max"),
        (lambda s, y: (np.maximum(margins(s, y), 0).mean(), np.zeros(3)), "one entry per score"),
        (lambda s, y: (np.maximum(margins(s, y), 0), np.zeros(len(s))), "one number"),
        (lambda s, y: np.maximum(margins(s, y), 0).mean(), "two things"),
        (lambda s, y: (1.0, np.zeros(len(s))), "is not the mean"),
    ],
)
def test_q3_wrong_answers_are_explained(wrong, message):
    result = q3.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message


# -- q4: a fused node ------------------------------------------------------------------


def test_q4_solution_is_correct():
    assert q4.grade(Node, run_solution(q4, "fused_sum", Node=Node)).correct


def test_q4_accepts_the_children_in_another_order_when_each_keeps_its_derivative():
    def fused_sum(ws, xs, b):
        data = b.data + sum(w.data * x.data for w, x in zip(ws, xs))
        children = (b, *[n for pair in zip(ws, xs) for n in pair])
        local = (1.0, *[g for w, x in zip(ws, xs) for g in (x.data, w.data)])
        return Node(data, children, local)

    assert q4.grade(Node, fused_sum).correct


def test_q4_unattempted():
    assert q4.grade(Node, ____).status == "unattempted"
    assert q4.grade(Node, lambda ws, xs, b: ____).status == "unattempted"
    assert q4.grade(Node, lambda ws, xs, b: Node(1.0, children=____, local_grads=____)).status == "unattempted"


def total(ws, xs, b):
    return b.data + sum(w.data * x.data for w, x in zip(ws, xs))


def values(nodes):
    return [n.data for n in nodes]


@pytest.mark.parametrize(
    "fused, message",
    [
        (lambda ws, xs, b: Node(total(ws, xs, b), (*ws, *xs, b), (*values(ws), *values(xs), 1.0)), "its own value"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (*ws, *xs, b), (*values(xs), *values(ws), 0.0)), "bias's local derivative"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (ws, xs, b), (values(xs), values(ws), 1.0)), "one flat tuple"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (*ws, *xs), (*values(xs), *values(ws))), "Check the bias"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (*ws, b), (*values(xs), 1.0)), "Check the inputs"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (*ws, *xs, b), (*values(xs), *values(ws))), "for 7 children"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (*ws, *xs, b), (*xs, *ws, 1.0)), "holds Nodes"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (*ws, *xs, b), (*values(xs)[::-1], *values(ws), 1.0)), "not paired"),
        (lambda ws, xs, b: Node(total(ws, xs, b) - b.data, (*ws, *xs, b), (*values(xs), *values(ws), 1.0)), "is not b + Σ"),
        (lambda ws, xs, b: Node(total(ws, xs, b), (*values(ws), *values(xs), b.data), (1.0,) * 7), "the Nodes themselves"),
        (lambda ws, xs, b: total(ws, xs, b), "should return a Node"),
        (lambda ws, xs, b: None, "forget `return`"),
    ],
)
def test_q4_wrong_answers_are_explained(fused, message):
    result = q4.grade(Node, fused)
    assert result.status == "incorrect"
    assert message in result.message, result.message


# -- q5: no_full_passes ----------------------------------------------------------------

import contextlib  # noqa: E402
import gc  # noqa: E402


@pytest.fixture
def thresholds_kept():
    """The collector's settings as the test found them, whatever the checker or a wrong
    answer does to them."""
    saved, enabled = gc.get_threshold(), gc.isenabled()
    yield saved
    assert gc.get_threshold() == saved and gc.isenabled() == enabled, "the checker left the collector changed"


def test_q5_solution_is_correct(thresholds_kept):
    f = run_solution(q5, "no_full_passes", gc=gc, contextlib=contextlib)
    assert q5.grade(f).correct


def test_q5_package_pause_is_correct_too(thresholds_kept):
    from nnscratch.collector import full_collections_paused

    assert q5.grade(full_collections_paused).correct


def test_q5_unattempted(thresholds_kept):
    assert q5.grade(____).status == "unattempted"

    @contextlib.contextmanager
    def blank():
        ____
        yield

    assert q5.grade(blank).status == "unattempted"


@contextlib.contextmanager
def disables():
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextlib.contextmanager
def no_finally():
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], 10**9)
    yield
    gc.set_threshold(*saved)


@contextlib.contextmanager
def to_defaults():
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], 10**9)
    try:
        yield
    finally:
        gc.set_threshold(700, 10, 10)


@contextlib.contextmanager
def swallows():
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], 10**9)
    try:
        yield
    except Exception:
        pass
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def too_small():
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], 1000)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def first_instead():
    saved = gc.get_threshold()
    gc.set_threshold(10**9, saved[1], saved[2])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def zero_first():
    saved = gc.get_threshold()
    gc.set_threshold(0)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def does_nothing():
    yield


def not_a_context_manager():
    gc.set_threshold(700, 10, 10**9)


@pytest.mark.parametrize(
    "wrong, message",
    [
        (disables, "switched off altogether"),
        (no_finally, "`finally:`"),
        (to_defaults, "Python's defaults"),
        (swallows, "disappeared"),
        (too_small, "large enough"),
        (first_instead, "first two thresholds changed"),
        (zero_first, "first threshold of 0"),
        (does_nothing, "unchanged"),
        (not_a_context_manager, "not a context manager"),
        ("no_full_passes", "should be a function"),
    ],
)
def test_q5_wrong_answers_are_explained(thresholds_kept, wrong, message):
    result = q5.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message, result.message


# -- q6: open-ended --------------------------------------------------------------------


def test_q6_is_open_ended_with_hints_and_a_discussion():
    from nnscratch.exercises.core import OpenEnded

    assert isinstance(q6, OpenEnded)
    assert len(q6.hints) >= 2
    assert "tracemalloc" in q6.as_markdown() and "Discussion" in q6.as_markdown()
