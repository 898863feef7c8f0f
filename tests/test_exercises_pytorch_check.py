"""The exercises of the chapter that checks the engine against PyTorch accept their
reference answers, tell a blank from a wrong answer, and explain typical wrong answers.

The checks do not use PyTorch. The tests that run the reference solutions, or make wrong
answers the way a learner would (in float32), do; they are skipped without it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnscratch import Value
from nnscratch.exercises import ____
from nnscratch.exercises.core import OpenEnded
from nnscratch.exercises.pytorch_check import (
    GRADIENT_INPUTS,
    OPTIONS,
    SUSPECT_INPUTS,
    q1,
    q2,
    q3,
    q4,
    suspect_gradients,
)

NO_TORCH = "PyTorch is not installed (make torch installs the CPU build)"


@pytest.fixture
def torch():
    return pytest.importorskip("torch", reason=NO_TORCH)


def solution_scope(problem, **names):
    scope = {"SUSPECT_INPUTS": SUSPECT_INPUTS, "suspect_gradients": suspect_gradients, **names}
    exec(problem._solution, scope)
    return scope


# -- q1: which constructions keep every digit ---------------------------------------


def test_q1_solution_is_correct():
    assert q1.grade(solution_scope(q1)["exact"]).correct


def test_q1_accepts_any_collection_and_case():
    assert q1.grade(["C", "d", "e "]).correct
    assert q1.grade(("e", "d", "c")).correct


@pytest.mark.torch
def test_q1_answer_key_is_what_pytorch_does(torch):
    x = 6.8813735870195432
    keeps = set()
    for letter, construction in OPTIONS.items():
        tensor = eval(construction, {"torch": torch, "np": np, "x": x})
        assert tensor.dtype == torch.float64, letter
        if tensor.reshape(-1)[0].item() == x:
            keeps.add(letter)
    assert q1.grade(keeps).correct


def test_q1_blank_is_unattempted():
    assert q1.grade(____).status == "unattempted"
    assert q1.grade({____}).status == "unattempted"


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"a", "c", "d", "e"}, "a rounds x to float32 first"),
        ({"b", "c"}, "b rounds too"),
        ({"c", "d", "e", "f"}, "f asks for float32"),
        ({"c", "d"}, "left out 1 more construction that does too"),
        ({"c"}, "left out 2 more constructions that do too"),
        (set(), "is empty"),
        ({"c", "g"}, "'g', which is not one of the choices"),
        ("cde", "not one string"),
        ({1, 2}, "as a string in quotes"),
        (3, "should be a set"),
    ],
)
def test_q1_wrong_answers_are_explained(answer, message):
    result = q1.grade(answer)
    assert result.status == "incorrect"
    assert message in result.message


# -- q2: gradients from PyTorch -----------------------------------------------------


@pytest.mark.torch
def test_q2_solution_is_correct(torch):
    scope = solution_scope(q2)
    assert q2.grade(scope["grad_a"], scope["grad_b"]).correct


def test_q2_our_engine_gives_the_expected_gradients():
    a, b, c = (Value(GRADIENT_INPUTS[k]) for k in "abc")
    (a * (a * b + c).tanh() + b * b).backward()
    assert q2.grade(a.grad, b.grad).correct


def test_q2_blank_is_unattempted():
    assert q2.grade(____, ____).status == "unattempted"
    assert q2.grade(0.5, ____).status == "unattempted"


@pytest.mark.torch
def test_q2_float32_is_caught(torch):
    a = torch.tensor(GRADIENT_INPUTS["a"], requires_grad=True)
    b = torch.tensor(GRADIENT_INPUTS["b"], requires_grad=True)
    c = torch.tensor(GRADIENT_INPUTS["c"], requires_grad=True)
    assert a.dtype == torch.float32
    (a * torch.tanh(a * b + c) + b * b).backward()
    result = q2.grade(a.grad.item(), b.grad.item())
    assert result.status == "incorrect"
    assert "float32" in result.message


@pytest.mark.torch
def test_q2_a_tensor_is_asked_to_be_a_number(torch):
    scope = solution_scope(q2)
    result = q2.grade(torch.tensor(scope["grad_a"], dtype=torch.float64), scope["grad_b"])
    assert result.status == "incorrect"
    assert ".item()" in result.message


def test_q2_counting_each_input_once_is_explained():
    import math

    a, b, c = (GRADIENT_INPUTS[k] for k in "abc")
    t = math.tanh(a * b + c)
    result = q2.grade(a * (1 - t * t) * b, a * (1 - t * t) * a)
    assert result.status == "incorrect"
    assert "appear twice" in result.message


def test_q2_a_wrong_sign_is_explained():
    a, b, c = (Value(GRADIENT_INPUTS[k]) for k in "abc")
    (a * (a * b + c).tanh() + b * b).backward()
    result = q2.grade(a.grad, -b.grad)
    assert result.status == "incorrect"
    assert "`grad_b` has the right size but the wrong sign" in result.message


# -- q3: the buggy engine -----------------------------------------------------------


@pytest.mark.torch
def test_q3_solution_is_correct(torch):
    assert q3.grade(solution_scope(q3)["wrong"]).correct


def test_q3_the_suspect_engine_is_wrong_exactly_where_the_key_says():
    leaves = {name: Value(v) for name, v in SUSPECT_INPUTS.items()}
    o = (leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]).tanh()
    o.backward()
    suspect = suspect_gradients()
    differing = {n for n in leaves if abs(leaves[n].grad - suspect[n]) > 1e-12}
    assert differing == {"w1", "w2"}
    assert q3.grade(differing).correct


def test_q3_blank_is_unattempted():
    assert q3.grade(____).status == "unattempted"
    assert q3.grade({____}).status == "unattempted"


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"w1", "w2", "x1"}, "the gradient of x1 from the suspect engine agrees"),
        ({"b"}, "the gradient of b"),
        ({"w1"}, "1 more differs"),
        (set(), "is empty"),
        ({"o"}, "not one of the choices"),
    ],
)
def test_q3_wrong_answers_are_explained(answer, message):
    result = q3.grade(answer)
    assert result.status == "incorrect"
    assert message in result.message


# -- q4: open-ended; the numbers its discussion states are rerun here ----------------

NEURON = [2.0, 0.0, -3.0, 1.0, 6.8813735870195432]  # x1, x2, w1, w2, b
STEPS = [10.0 ** -k for k in range(1, 14)]


def dw1_exact() -> float:
    x1, x2, w1, w2, b = leaves = [Value(v) for v in NEURON]
    (x1 * w1 + x2 * w2 + b).tanh().backward()
    return leaves[2].grad


def dw1_central(h, kind=float):
    """The central difference of o with respect to w1, every number of type ``kind``."""
    x1, x2, w1, w2, b = (kind(v) for v in NEURON)
    h = kind(h)
    tanh = math.tanh if kind is float else np.tanh

    def o(w):
        return tanh(x1 * w + x2 * w2 + b)

    return float((o(w1 + h) - o(w1 - h)) / (kind(2) * h))


def test_q4_is_open_ended_with_hints():
    assert isinstance(q4, OpenEnded) and len(q4.hints) == 2


def test_q4_the_float64_errors_it_describes():
    exact = dw1_exact()
    errors = [abs(dw1_central(h) - exact) for h in STEPS]
    assert f"{errors[0]:.1e}" == "6.5e-03" and "6.5 × 10⁻³ at h = 0.1" in q4._discussion
    for a, b in zip(errors[:4], errors[1:5]):  # h² down to 1e-5: a hundredfold per step
        assert 80 < a / b < 120
    best = min(range(len(STEPS)), key=errors.__getitem__)
    assert STEPS[best] == 1e-5 and 3e-11 < errors[best] < 3e-10  # "about 1e-10 near 1e-5"
    for a, b in zip(errors[5:9], errors[6:10]):  # rounding: roughly tenfold per step
        assert 3 < b / a < 30
    assert 1e-4 < errors[-1] < 1e-2  # "around 1e-3 at h = 1e-13"
    assert abs(np.finfo(np.float64).eps ** (1 / 3) - 6e-6) < 1e-6 and "about 6 × 10⁻⁶" in q4._discussion


def test_q4_float32_is_a_hundred_thousand_times_worse():
    exact = dw1_exact()
    errors = {h: abs(dw1_central(h, np.float32) - exact) for h in STEPS[:7]}
    best = min(errors, key=errors.get)
    assert best in (1e-2, 1e-3) and 1e-5 < errors[best] < 1e-4
    best64 = min(abs(dw1_central(h) - exact) for h in STEPS)
    assert errors[best] / best64 > 1e5
