"""The checks of chapter 03's exercises: the reference answers (worked out by the
engine, not typed in) grade correct, the blank grades unattempted, and each typical
mistake grades incorrect with a message that says what is off, without the answer."""

from __future__ import annotations

import math
import re

import pytest

from nnscratch import Value
from nnscratch.exercises import ____
from nnscratch.exercises.backprop_by_hand import q1, q2, q3, q4


def numbers_in(message: str) -> set[float]:
    """The numbers a message shows (not the digits in names such as `do_dx1`)."""
    prose = re.sub(r"`[^`]*`", "", message).replace(",", "")
    return {float(m) for m in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?", prose)}


def assert_incorrect(result, *phrases: str, answers: tuple[float, ...] = ()) -> None:
    """Incorrect, with every phrase in the message and none of the answers."""
    assert result.status == "incorrect", result
    for phrase in phrases:
        assert phrase in result.message, (phrase, result.message)
    shown = numbers_in(result.message)
    for answer in answers:
        if answer not in (0.0, 1.0):
            assert answer not in shown, (answer, result.message)


# -- q1: L = s·t, s = x + y, t = z·w at x = 1, y = 2, z = -3, w = 4 ---------------------

def q1_reference() -> tuple[float, ...]:
    x, y, z, w = Value(1.0), Value(2.0), Value(-3.0), Value(4.0)
    s = x + y
    t = z * w
    L = s * t
    # backward() leaves intermediate grads in place after the pass
    L.backward()
    return (s.grad, t.grad, x.grad, y.grad, z.grad, w.grad)


Q1 = q1_reference()


def test_q1_reference_is_correct():
    assert q1.grade(*Q1).correct


def test_q1_solution_as_printed_is_correct():
    ns: dict = {}
    exec(q1._solution, ns)
    assert q1.grade(*(ns[v] for v in q1.variables)).correct


def test_q1_blank_is_unattempted():
    assert q1.grade(*([____] * 6)).status == "unattempted"
    partly = list(Q1)
    partly[4] = ____
    result = q1.grade(*partly)
    assert result.status == "unattempted" and "dL_dz" in result.message


def test_q1_own_value_instead_of_the_other_factor():
    ds, dt, dx, dy, dz, dw = Q1
    s, t = 3.0, -12.0
    # at the top: ∂L/∂s taken as s, ∂L/∂t as t; below, propagated from those
    result = q1.grade(s, t, s, s, 4.0 * t, -3.0 * t)
    assert_incorrect(result, "`dL_ds` and `dL_dt` use their own value", "*other* input",
                     "`dL_dx` and `dL_dy` follow correctly from your `dL_ds`",
                     "`dL_dz` and `dL_dw` follow correctly from your `dL_dt`", answers=Q1)
    # at t = z·w only
    result = q1.grade(ds, dt, dx, dy, -3.0 * dt, 4.0 * dt)
    assert_incorrect(result, "`dL_dz` and `dL_dw` use their own value", answers=Q1)
    assert "dL_dx" not in result.message


def test_q1_local_derivative_without_the_chain_rule():
    ds, dt, dx, dy, dz, dw = Q1
    result = q1.grade(ds, dt, 1.0, 1.0, 4.0, -3.0)
    assert_incorrect(result, "`dL_dx` and `dL_dy` are the local derivative alone",
                     "(`dL_ds`)", "`dL_dz` and `dL_dw` are the local derivative alone",
                     "(`dL_dt`)", answers=Q1)


def test_q1_wrong_sign_and_what_follows_from_it():
    ds, dt, dx, dy, dz, dw = Q1
    result = q1.grade(-ds, dt, -dx, -dy, dz, dw)
    assert_incorrect(result, "`dL_ds` has the right size but the wrong sign",
                     "`dL_dx` and `dL_dy` follow correctly from your `dL_ds`", answers=Q1)
    result = q1.grade(ds, dt, dx, dy, -dz, dw)
    assert_incorrect(result, "`dL_dz` has the right size but the wrong sign", answers=Q1)
    assert "dL_dw" not in result.message


def test_q1_not_numbers():
    result = q1.grade(Value(-12.0), *Q1[1:])
    assert_incorrect(result, "`dL_ds` is a Value")
    result = q1.grade(*Q1[:5], "-9")
    assert_incorrect(result, "`dL_dw` should be a number")


# -- q2: L after one descent step of 0.1 ----------------------------------------------

def L_after_step(step: float) -> float:
    """Move every leaf by -step · its gradient (from backward()), recompute L."""
    leaves = [Value(x) for x in (2.0, -3.0, 10.0, -2.0)]
    a, b, c, f = leaves
    ((a * b + c) * f).backward()
    a2, b2, c2, f2 = (v.data - step * v.grad for v in leaves)
    return (a2 * b2 + c2) * f2


def test_q2_reference_is_correct():
    assert q2.grade(L_after_step(0.1)).correct


def test_q2_solution_as_printed_is_correct():
    ns = {"L_at": lambda a, b, c, f: (a * b + c) * f}
    exec(q2._solution, ns)
    assert q2.grade(ns["L_after"]).correct


def test_q2_blank_is_unattempted():
    assert q2.grade(____).status == "unattempted"


@pytest.mark.parametrize("wrong, phrases", [
    (L_after_step(-0.1), ("step *up* the gradient", "against its gradient")),
    (L_after_step(0.01), ("step of 0.01 from the chapter",)),
    (-8.0, ("L before the step",)),
    (-8.0 - 0.1 * (36 + 16 + 4 + 16), ("straight-line estimate",)),
    ((1.4 * -3.0 + 10.0) * -2.0, ("only one leaf moved",)),
    (-L_after_step(0.1), ("wrong sign",)),
])
def test_q2_typical_mistakes(wrong, phrases):
    assert_incorrect(q2.grade(wrong), *phrases, answers=(L_after_step(0.1),))


# -- q3: the neuron with b = 6 ----------------------------------------------------------

def neuron_reference(bias: float) -> tuple[float, ...]:
    x1, w1, x2, w2, b = (Value(v) for v in (2.0, -3.0, 0.0, 1.0, bias))
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    return (o.data, n.grad, x1.grad, w1.grad, x2.grad, w2.grad)


Q3 = neuron_reference(6.0)


def test_q3_reference_is_correct():
    assert q3.grade(*Q3).correct


def test_q3_solution_as_printed_is_correct():
    ns: dict = {}
    exec(q3._solution, ns)
    assert q3.grade(*(ns[v] for v in q3.variables)).correct


def test_q3_blank_is_unattempted():
    assert q3.grade(*([____] * 6)).status == "unattempted"


def test_q3_the_chapters_numbers():
    result = q3.grade(*neuron_reference(6.8813735870195432))
    assert_incorrect(result, "numbers for the chapter's bias", answers=Q3)


def test_q3_own_value_instead_of_the_other_factor():
    o, dn, dx1, dw1, dx2, dw2 = Q3
    result = q3.grade(o, dn, 2.0 * dn, -3.0 * dn, 0.0 * dn, 1.0 * dn)
    assert_incorrect(result, "`do_dx1`, `do_dw1`, `do_dx2` and `do_dw2` use their own value",
                     answers=Q3)


def test_q3_wrong_tanh_derivative_and_what_follows():
    o, dn, dx1, dw1, dx2, dw2 = Q3
    result = q3.grade(o, 0.5, -3.0 * 0.5, 2.0 * 0.5, 1.0 * 0.5, 0.0)
    assert_incorrect(result, "`do_dn` is half as large",
                     "`do_dx1`, `do_dw1` and `do_dx2` follow correctly from your `do_dn`",
                     answers=Q3)


def test_q3_wrong_output_and_sign():
    o, dn, dx1, dw1, dx2, dw2 = Q3
    result = q3.grade(math.tanh(6.0), dn, dx1, dw1, dx2, dw2)
    assert_incorrect(result, "`o_value`", answers=Q3)
    result = q3.grade(o, dn, -dx1, dw1, dx2, dw2)
    assert_incorrect(result, "`do_dx1` has the right size but the wrong sign", answers=Q3)


# -- q4: the steps of the neuron's player in which w1 and b receive their gradients ------

def chapter_player_neuron():
    """The neuron as the chapter's player cell builds it (its code run here, with
    nnscratch.Value), and its values by label."""
    import json

    from book_files import ROOT
    from nnscratch.viz import trace

    nb = json.loads((ROOT / "notebooks" / "03_backprop_by_hand.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "".join(c["source"]).startswith("def neuron(Value):"))
    source = "".join(cell["source"])
    assert source.rstrip().endswith("backprop_player(neuron(nnscratch.Value))")
    ns: dict = {}
    exec(source.rsplit("backprop_player", 1)[0], ns)
    o = ns["neuron"](Value)
    values, _ = trace(o)
    return o, {v.label: v for v in values}


def q4_reference() -> tuple[int, int]:
    from nnscratch.viz import backprop_steps

    o, v = chapter_player_neuron()
    steps = backprop_steps(o)
    (w1_step,), (b_step,) = steps.steps_changing(v["w1"]), steps.steps_changing(v["b"])
    return w1_step, b_step


Q4 = q4_reference()


def test_q4_reference_from_the_chapters_player_is_correct():
    assert Q4 == (5, 2)  # the order of nnscratch.Value's backward(): x2*w2 before x1*w1
    assert q4.grade(*Q4).correct


def test_q4_solution_as_printed_is_correct():
    ns: dict = {}
    exec(q4._solution, ns)
    assert q4.grade(ns["w1_step"], ns["b_step"]).correct


def test_q4_blank_is_unattempted():
    assert q4.grade(____, ____).status == "unattempted"
    assert q4.grade(Q4[0], ____).status == "unattempted"


@pytest.mark.parametrize("answers, phrases", [
    ((2, 5), ("`w1_step`: step 2 gives x1*w1 + x2*w2 and b their gradients, not w1",
              "`b_step`: step 5 gives x1 and w1 their gradients, not b")),
    ((4, 2), ("step 4 gives x2 and w2 their gradients, not w1",)),
    ((3, 1), ("step 3 gives x1*w1 and x2*w2 their gradients", "step 1 gives n its gradient")),
    ((0, 2), ("frame 0 is the graph before the first step",)),
    ((6, 2), ("the player has no step 6",)),
    ((5.5, 2), ("should be a whole number",)),
])
def test_q4_typical_mistakes(answers, phrases):
    result = q4.grade(*answers)
    assert result.status == "incorrect", result
    for phrase in phrases:
        assert phrase in result.message, (phrase, result.message)
    # no right step number shown, unless the learner gave it (for the other value)
    right = {str(k) for k in Q4 if k not in answers}
    assert not right & set(re.findall(r"\d+", re.sub(r"`[^`]*`|x1|x2|w1|w2", "", result.message)))


def test_q4_a_value_is_not_a_number():
    result = q4.grade(Value(5.0), 2)
    assert result.status == "incorrect" and "`w1_step` is a Value" in result.message
