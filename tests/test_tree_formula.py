"""funcify(): a model as a readable formula, with parentheses exactly where precedence
needs them; and the formula reader used to check that a formula means what the model
computes (no eval or exec anywhere)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnscratch.tree import (Add, FormulaError, Input, Linear, ModelError, Multiply, Parameter, ReLU, Sigmoid, Softmax,
                            evaluate_formula, funcify, linear_regression)
from test_tree_support import random_model

P = Parameter


@pytest.mark.parametrize("model, formula", [
    (Add([P(0.1), P(0.2)]), "0.1 + 0.2"),
    (Multiply([P(0.5), Input(name="f")]), "0.5 * f"),
    (Add([Multiply([P(0.5), Input(name="f")]), P(-17.0)]), "0.5 * f - 17.0"),
    (Multiply([Add([Input(name="a"), P(1.0)]), Input(name="b")]), "(a + 1.0) * b"),
    (Add([Input(name="a"), Multiply([Input(name="b"), Input(name="c")])]), "a + b * c"),
    (Add([Input(name="a"), Add([Input(name="b"), Input(name="c")])]), "a + b + c"),
    (Multiply([Input(name="a"), Multiply([Input(name="b"), Input(name="c")])]), "a * b * c"),
    (Multiply([Input(name="a"), P(-2.0)]), "a * (-2.0)"),
    (Multiply([P(-2.0), Input(name="a")]), "-2.0 * a"),
    (Add([Input(name="a"), Multiply([P(-2.0), Input(name="b")])]), "a - 2.0 * b"),
    (Add([P(-1.0), Input(name="a")]), "-1.0 + a"),
    (Multiply([Input(name="a"), Add([P(-1.0), Input(name="b")])]), "a * (-1.0 + b)"),
    (ReLU([Add([Input(name="a"), P(1.0)])]), "relu(a + 1.0)"),
    (Multiply([Add([Input(name="a")]), P(2.0)]), "a * 2.0"),
    (Add([Multiply([P(-3.0)]), Input(name="a")]), "-3.0 + a"),
    (Multiply([P(2.0), Sigmoid([Multiply([P(3.0), Input(name="x")])])]), "2.0 * sigmoid(3.0 * x)"),
    (Softmax([Input(name="a"), Add([Input(name="b"), P(1.0)])]), "softmax(a, b + 1.0)"),
])
def test_exact_formulas(model, formula):
    assert model.funcify() == formula
    assert funcify(model) == formula


def test_unnamed_inputs_get_the_names_compile_will_give_them_without_being_renamed():
    x, y = Input(), Input()
    model = Add([Multiply([P(2.0), x]), y])
    assert model.funcify() == "2.0 * x1 + x2"
    assert x.name is None
    model.compile()
    assert (x.name, y.name) == ("x1", "x2")


def test_precision_rounds_the_parameters():
    model = linear_regression(weight=5 / 9, bias=-160 / 9)
    assert model.funcify() == "0.5555555555555556 * x1 - 17.77777777777778"
    assert model.funcify(precision=4) == "0.5556 * x1 - 17.78"
    with pytest.raises(ValueError, match="precision"):
        model.funcify(precision=0)


def test_a_shared_node_is_written_in_both_places():
    h = Sigmoid([Input(name="x")])
    assert Multiply([h, Add([h, P(1.0)])]).funcify() == "sigmoid(x) * (sigmoid(x) + 1.0)"


def test_a_macro_must_be_compiled_first_and_then_reads_as_its_expansion():
    layer = Linear([Input(name="a")], weights=[2.0], bias=0.5)
    with pytest.raises(ModelError, match="compile"):
        Add([layer]).funcify()
    assert layer.compile().funcify() == "2.0 * a + 0.5"


@given(st.data())
def test_the_formula_evaluates_to_what_the_model_computes(data):
    model = random_model(data, shared=True)
    text = model.funcify()
    values = {x.name: x.value for x in model.inputs}
    assert math.isclose(evaluate_formula(text, values), model.forward(), rel_tol=1e-9, abs_tol=1e-12)


@given(st.data())
def test_no_parentheses_are_left_that_precedence_does_not_need(data):
    text = random_model(data, shared=False).funcify()
    # every "(" opens a group that is a function's arguments, a sum inside a product,
    # or a negative factor after the first
    for m in re.finditer(r"(\w?)\(", text):
        if m.group(1):
            continue  # relu( sigmoid( softmax(
        depth, i = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        inside = text[m.end():i - 1]
        assert inside.startswith("-") or _has_top_level_sum(inside), (text, inside)


def _has_top_level_sum(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and ch in "+-" and i > 0 and text[i - 1] == " ":
            return True
    return False


# -- the reader ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, values, expected", [
    ("1 + 2 * 3", {}, 7.0),
    ("(1 + 2) * 3", {}, 9.0),
    ("2 - 3 - 4", {}, -5.0),
    ("-2.0 * a", {"a": 3}, -6.0),
    ("a * (-2.0)", {"a": 3}, -6.0),
    ("relu(-1) + max(0, 2)", {}, 2.0),
    ("2 · a × 3", {"a": 1}, 6.0),
    ("1e-3 * 2", {}, 0.002),
    ("sigmoid(0)", {}, 0.5),
    ("[a, a + 1]", {"a": 1}, [1.0, 2.0]),
    ("softmax(0, 0)", {}, [0.5, 0.5]),
])
def test_the_reader_follows_precedence(text, values, expected):
    assert evaluate_formula(text, values) == expected


@pytest.mark.parametrize("text, message", [
    ("1 +", "expected a number, a name or '\\(' at position 3, found the end"),
    ("(1 + 2", "expected '\\)'"),
    ("1 2", "unexpected '2'"),
    ("a + 1", "no value given for 'a'"),
    ("tanh(1)", "unknown function 'tanh'"),
    ("relu(1, 2)", "relu takes one argument"),
    ("1 / 2", "unexpected character '/'"),
    ("softmax(1, 2) + 1", "can only be the whole formula"),
    ("   ", "empty"),
])
def test_the_reader_explains_what_it_cannot_read(text, message):
    with pytest.raises(FormulaError, match=message):
        evaluate_formula(text)


def test_nothing_in_the_tree_framework_evaluates_generated_text():
    package = Path(__file__).resolve().parent.parent / "nnscratch" / "tree"
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(eval|exec|compile)\s*\(\s*[^)]*\b(text|formula|source|code)", source), path
        assert "eval(" not in source.replace("evaluate_formula(", "") and "exec(" not in source, path
