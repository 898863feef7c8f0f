"""The tree framework under extremes: no pass stores a number that is not finite, every
pass but the recursive forward works at any depth (and that one says which limit it
hit), shared nodes cannot make a pass run for ever, numbers are accepted evenly, and
the package's imports run one way."""

from __future__ import annotations

import ast
import math
import random
import sys
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnscratch.tree as nt
from nnscratch.tree import (Add, DepthError, FormulaError, Input, Linear, Macro, ModelError, Multiply, NeuralNetNode,
                            Operation, Output, Parameter, Sigmoid, Softmax, backward_single_parent,
                            categorical_cross_entropy, evaluate_formula, linear_regression, mse_loss, mse_loss_grad,
                            softmax, softmax_backward, softmax_classifier, three_classes, topological_order,
                            train_model)
from nnscratch.tree.graph import depth, find_cycle, path_count, walk

TREE = Path(nt.__file__).parent


def sigmoid_chain(n: int) -> Sigmoid:
    node = Multiply([Parameter(0.5, learning_rate=0.0), Input()])
    for _ in range(n):
        node = Sigmoid([node])
    return node


def ladder(n: int) -> tuple[Add, Input]:
    """h = x; h = h + h, n times: n + 1 nodes, 2**n paths from the top to x."""
    bottom = h = Input()
    for _ in range(n):
        h = Add([h, h])
    return h, bottom


@contextmanager
def recursion_limit(n: int):
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(n)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# -- imports run one way -----------------------------------------------------------------------


def test_the_modules_of_the_tree_import_one_another_without_a_cycle():
    imports: dict[str, set[str]] = {}
    for path in TREE.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # lazy imports in functions too
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
        imports[path.stem] = found
    assert imports["nodes"] >= {"compiler", "formula", "graph"}  # nodes builds on them ...
    for low in ("graph", "compiler", "formula", "functions", "checks", "errors"):  # ... and know nothing of nodes
        assert "nodes" not in imports[low], low
    order: list[str] = []
    while len(order) < len(imports):  # peel off the modules whose imports are all placed
        ready = sorted(m for m, uses in imports.items() if m not in order and uses <= set(order))
        assert ready, f"an import cycle among {sorted(set(imports) - set(order))}"
        order += ready


def test_the_public_names_are_where_the_chapters_find_them():
    for name in nt.__all__:
        if name != "draw_tree":
            assert getattr(nt, name) is not None
    assert nt.ModelError is nt.nodes.ModelError and issubclass(DepthError, (ModelError, RecursionError))
    assert nt.graph.find_input_nodes is nt.find_input_nodes and nt.compiler.compile_model is nt.compile_model


# -- depth ---------------------------------------------------------------------------------------


def test_compile_backward_repr_and_formulas_work_far_beyond_the_recursion_limit():
    model = sigmoid_chain(5000).compile()  # five times deeper than the recursion limit
    assert len(model.inputs) == 1 and depth(model) == 5002
    assert len(topological_order(model)) == 5003
    assert repr(model).startswith("<Sigmoid model: 5,003 nodes, 5,002 levels; its full repr would be")
    with recursion_limit(12_000):  # forward is recursive: only it needs the higher limit
        value = model.predict([1.0])
    model.backward(1.0)  # the cached values are used, and backward loops
    assert math.isfinite(model.children[0].derivative) and 0 < model.children[0].derivative < 1
    assert evaluate_formula(model.funcify(), {"x1": 1.0}) == value


def test_forward_deeper_than_the_limit_says_which_limit_and_what_to_do():
    model = sigmoid_chain(5000)
    for attempt in (lambda: model.predict([1.0]), model.forward, lambda: model.backward(1.0)):
        with pytest.raises(DepthError) as info:
            attempt()
        message = str(info.value)
        assert "forward() went deeper than Python's recursion limit" in message
        assert f"sys.getrecursionlimit() is {sys.getrecursionlimit():,}" in message
        assert "sys.setrecursionlimit" in message and "shallower model" in message
        assert info.value.__cause__ is None
    with pytest.raises(RecursionError):  # what chapter 09 catches
        model.predict([1.0])
    assert sigmoid_chain(700).predict([1.0]) > 0.5  # one frame per level: most of the limit is usable


def test_the_recursive_backward_pass_says_so_too():
    model = sigmoid_chain(3000)
    with recursion_limit(8000):
        model.predict([1.0])
    with pytest.raises(DepthError, match=r"backward_single_parent\(\) went deeper"):
        backward_single_parent(model, 1.0, update=False)


def test_the_walks_handle_any_depth():
    model = sigmoid_chain(20_000)
    assert len(walk(model)) == 20_003 and depth(model) == 20_002 and path_count(model) == 20_003
    assert find_cycle(model) is None


# -- macros that never finish -----------------------------------------------------------------------


class ContainsItself(Macro):
    def expand(self):
        return Add([self, Parameter(1.0)])


class Again(Macro):
    def expand(self):
        return Again(self.children)


class NestsAgain(Macro):
    def expand(self):
        return Add([NestsAgain(self.children), Parameter(1.0)])


class Outer(Macro):
    def expand(self):
        return Add([Inner([self]), Parameter(1.0)])


class Inner(Macro):
    def expand(self):
        return Multiply(list(self.children))


class Countdown(Macro):
    """A macro that expands into a smaller one of its own kind: it ends, and is fine."""

    __slots__ = ("n",)

    def __init__(self, children, n):
        super().__init__(children)
        self.n = n

    def expand(self):
        if self.n == 0:
            return Add(list(self.children))
        return Add([Countdown(self.children, self.n - 1), Parameter(1.0)])


@pytest.mark.parametrize("build, message", [
    (lambda: Sigmoid([ContainsItself([Input()])]), "the expansion of ContainsItself contains that ContainsItself"),
    (lambda: ContainsItself([Input()]), "the expansion of ContainsItself contains that ContainsItself"),
    (lambda: Sigmoid([Outer([Input()])]), "the expansion of Outer contains that Outer"),
    (lambda: Again([Input()]), "macros nest more than 10,000 deep, the last of them of class Again"),
    (lambda: Sigmoid([NestsAgain([Input()])]), "of class NestsAgain: its expand\\(\\) probably builds another"),
])
def test_a_macro_that_contains_itself_or_never_stops_is_refused_at_compile_time(build, message):
    with pytest.raises(ModelError, match=message):
        build().compile()


def test_a_model_left_with_a_cycle_by_a_refused_macro_still_says_what_it_is():
    model = Sigmoid([ContainsItself([Input()])])
    with pytest.raises(ModelError):
        model.compile()
    assert repr(model) == "<Sigmoid model whose nodes form a cycle>"
    for use in (model.funcify, lambda: model.backward(1.0), lambda: topological_order(model)):
        with pytest.raises(ValueError, match="the model contains a cycle: a .* node is below itself"):
            use()
    with pytest.raises(ModelError, match="it contains a cycle, left by a macro that contained itself"):
        model.compile()


def test_a_macro_that_expands_into_a_smaller_one_of_its_kind_compiles():
    model = Sigmoid([Countdown([Input()], 50)]).compile()
    assert not any(n.is_macro for n in walk(model))
    assert model.predict([-50.0]) == 0.5


# -- shared nodes cannot make a pass run for ever ---------------------------------------------------


def test_a_ladder_of_shared_nodes_is_fine_with_the_cache_and_refused_where_it_would_explode():
    top, bottom = ladder(60)
    assert path_count(top) == 2 ** 61 - 1
    length = len("Input(0.0)")
    for _ in range(60):
        length = len("Add([") + 2 * length + len(", ") + len("])")
    assert repr(top) == f"<Add model: 61 nodes, 61 levels; its full repr would be {length:,} characters>"
    with pytest.raises(ValueError, match="longer than 100,000 characters. A node shared by several parents"):
        top.funcify()
    with pytest.raises(ModelError, match=r"forward\(\) 2,305,843,009,213,693,951 times"):
        top.compile(cache=False)
    with pytest.raises(ModelError, match="backward_single_parent would visit nodes 2,305,843,009,213,693,951 times"):
        backward_single_parent(top, 1.0)
    model = top.compile()
    assert model.predict([1.0]) == 2.0 ** 60
    model.backward(1.0)
    assert bottom.derivative == 2.0 ** 60


def test_small_shared_models_keep_their_full_repr():
    x = Input(name="x")
    h = Sigmoid([x])
    assert repr(Multiply([h, h])) == "Multiply([Sigmoid([Input(0.0, name='x')]), Sigmoid([Input(0.0, name='x')])])"


# -- no number that is not finite is ever stored -----------------------------------------------------


@pytest.mark.parametrize("model, error, message", [
    (lambda: Add([Parameter(1e308), Parameter(1e308)]), OverflowError, r"Add: 1e\+308 \+ 1e\+308 overflows"),
    (lambda: Multiply([Parameter(1e200), Parameter(-1e200)]), OverflowError, r"Multiply: 1e\+200 \* -1e\+200 overflows"),
    (lambda: Multiply([Parameter(v) for v in (2.0,) * 1100]), OverflowError,
     r"Multiply: 2.0 \* 2.0 \* 2.0 \* 2.0 \* ... \* 2.0 \* 2.0 overflows"),
    (lambda: Softmax([Multiply([Parameter(1e300), Parameter(1e10)]), Parameter(0.0)]), OverflowError,
     "Multiply: 1e"),
])
def test_an_operation_that_overflows_names_itself_and_its_operands(model, error, message):
    node = model()
    with pytest.raises(error, match=message):
        node.forward()
    assert not node.is_cached


def test_a_product_with_a_zero_factor_is_zero_even_if_the_others_overflow():
    assert Multiply([Parameter(1e200), Parameter(1e200), Parameter(0.0)]).forward() == 0.0
    negative = Multiply([Parameter(-1e200), Parameter(1e200), Parameter(0.0)]).forward()
    assert negative == 0.0 and math.copysign(1.0, negative) == -1.0


class Returns(Operation):
    """An operation whose op returns whatever the test puts in ``result``."""

    result: object = None

    def op(self, x):
        return type(self).result

    def grad(self):
        return [1.0]


@pytest.mark.parametrize("result, error, message", [
    (math.nan, ValueError, r"Returns: returns\(1.0\) is not a number \(nan\)"),
    (math.inf, OverflowError, r"Returns: returns\(1.0\) overflows"),
    (10 ** 400, OverflowError, "overflows"),
    ("1.0", TypeError, "Returns.op returned a str"),
    (True, TypeError, "Returns.op returned a bool"),
    (None, TypeError, "Returns.op returned a NoneType"),
    (1 + 2j, TypeError, "Returns.op returned a complex"),
])
def test_an_op_written_by_hand_that_returns_no_finite_number_is_caught(monkeypatch, result, error, message):
    monkeypatch.setattr(Returns, "result", result)
    with pytest.raises(error, match=message):
        Returns([Parameter(1.0)]).compile().predict([])


def test_an_op_may_return_any_real_number_and_forward_stores_a_float():
    for result in (3, Fraction(1, 4), np.float32(0.5), np.int64(7)):
        Returns.result = result
        model = Returns([Parameter(1.0)]).compile()
        value = model.predict([])
        assert value == float(result) and type(value) is float and type(model._value) is float


def test_a_derivative_that_overflows_is_an_error_naming_where():
    model = Multiply([Parameter(1e300), Input()]).compile()
    model.predict([1.0])
    with pytest.raises(OverflowError, match=r"Multiply passes to its child 1 \(a Input\) -inf"):
        model.backward(-1e10)
    # a shared node adds up its parents' shares; the sum can overflow too
    x = Input()
    shared = Add([Multiply([Parameter(1e300), x]), Multiply([Parameter(1e300), x])]).compile()
    shared.predict([1.0])
    with pytest.raises(OverflowError, match=r"already had from its other parents, 1e\+308"):
        shared.backward(1e8)


def test_a_grad_that_gives_the_wrong_number_or_kind_of_derivatives_is_caught(monkeypatch):
    node = Returns([Parameter(1.0), Parameter(2.0)])
    Returns.result = 1.0
    node.forward()
    with pytest.raises(ValueError, match="Returns has 2 children but its grad\\(\\) gave 1 derivatives"):
        node.backward(1.0)
    monkeypatch.setattr(Returns, "grad", lambda self: ["a", 1.0])
    with pytest.raises(TypeError, match="Returns could not pass .* check its grad"):
        node.backward(1.0)
    monkeypatch.setattr(Returns, "grad", lambda self: [math.nan, 1.0])
    with pytest.raises(ValueError, match="nan"):
        node.backward(1.0)


def test_a_step_that_would_overflow_leaves_the_parameter_as_it_was():
    w = Parameter(1.0, learning_rate=1e300)
    model = Multiply([w, Input()]).compile()
    model.predict([1e10])
    with pytest.raises(OverflowError, match="a Parameter would become -inf .* learning rate is probably too large"):
        model.backward(1e10)
    assert w.value == 1.0


def test_training_that_diverges_stops_with_an_error_not_with_nan():
    model = linear_regression(weight=1.0, bias=1.0)
    with pytest.raises(OverflowError):
        train_model(model, mse_loss, mse_loss_grad, [([1e100], 2.0)], epochs=5, print_every=None, learning_rate=10.0)
    assert all(math.isfinite(p.value) for p in model.parameters())


def test_train_model_names_a_loss_that_is_not_a_finite_number():
    model = linear_regression(weight=1.0, bias=0.0)
    data = [([1.0], 0.0), ([2.0], 0.0)]
    with pytest.raises(OverflowError, match="epoch 0, example 1: the loss inf"):
        train_model(model, lambda y, p: math.inf if p > 1.5 else 0.0, mse_loss_grad, data, epochs=1, print_every=None)
    with pytest.raises(ValueError, match="epoch 0, example 0: the loss nan"):
        train_model(model, lambda y, p: math.nan, mse_loss_grad, data, epochs=1, print_every=None)
    with pytest.raises(OverflowError, match="added to the epoch's total"):
        train_model(model, lambda y, p: 1e308, mse_loss_grad, data, epochs=1, print_every=None)
    with pytest.raises(TypeError, match="loss_fn returned a str"):
        train_model(model, lambda y, p: "0.5", mse_loss_grad, data, epochs=1, print_every=None)
    with pytest.raises(ValueError, match="derivative from the parent must be a finite number, got inf"):
        train_model(model, mse_loss, lambda y, p: math.inf, data, epochs=1, print_every=None)


@pytest.mark.parametrize("call, error, message", [
    (lambda: mse_loss(1e200, -1e200), OverflowError, r"mse_loss\(1e\+200, -1e\+200\)"),
    (lambda: mse_loss_grad(1e308, -1e308), OverflowError, r"mse_loss_grad\(1e\+308, -1e\+308\)"),
    (lambda: mse_loss(math.inf, 0.0), ValueError, "mse_loss: y_true must be a finite number"),
    (lambda: nt.bce_loss(math.nan, 0.5), ValueError, "bce_loss: the label must be a finite number"),
    (lambda: categorical_cross_entropy(0, [2.0, -1.0]), ValueError, "probability 0 must lie between 0 and 1"),
    (lambda: categorical_cross_entropy(0, [0.5, 0.6]), ValueError, "must sum to 1, these sum to 1.1"),
    (lambda: categorical_cross_entropy(0, []), ValueError, "holds no probabilities"),
    (lambda: categorical_cross_entropy(0, 0.5), TypeError, "must be a list of probabilities"),
    (lambda: categorical_cross_entropy(10 ** 5000, [0.5, 0.5]), ValueError, "class an int of about 5,001 digits"),
    (lambda: softmax([math.inf, 1.0]), ValueError, "softmax: item 0 must be a finite number"),
    (lambda: softmax([]), ValueError, "softmax of no values"),
    (lambda: softmax_backward([0.9, 0.1], [1e308, -1e308]), OverflowError, "softmax_backward: ∂L/∂z1"),
    (lambda: evaluate_formula("1e308 * 10"), FormulaError, r"1e\+308 \* 10.0 overflows.*position 6"),
    (lambda: evaluate_formula("1e999"), FormulaError, "1e999 at position 0 is too large"),
    (lambda: evaluate_formula("a", {"a": math.inf}), ValueError, "the value of 'a' must be a finite number"),
    (lambda: evaluate_formula("a", {"a": True}), TypeError, "the value of 'a' must be a real number, got bool"),
    (lambda: evaluate_formula("a", ["a"]), TypeError, "values must be a dict"),
])
def test_losses_and_formulas_refuse_what_is_not_finite(call, error, message):
    with pytest.raises(error, match=message):
        call()


def finite_values(limit: float):
    return st.floats(-limit, limit, allow_nan=False, allow_infinity=False)


def every_number_is_finite(model: NeuralNetNode) -> bool:
    for node in walk(model):
        stored = [node.derivative] if isinstance(node.derivative, float) else list(node.derivative)
        if node.is_cached:
            stored += [node._value] if isinstance(node._value, float) else list(node._value)
        if isinstance(node, (Input, Parameter)):
            stored.append(node.value)
        if not all(type(v) is float and math.isfinite(v) for v in stored):
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from([1.0, 1e100, 1e200, 1e300]))
def test_random_finite_inputs_never_give_a_non_finite_value_or_derivative_without_an_error(data, scale):
    from test_tree_support import random_model

    model = random_model(data, shared=True, max_ops=9).compile()
    for node in walk(model):
        if isinstance(node, Parameter):
            node.value = data.draw(finite_values(scale), label="parameter")
            node.learning_rate = data.draw(st.sampled_from([0.0, 0.1, 1e10]), label="learning rate")
    inputs = [data.draw(finite_values(scale), label="input") for _ in model.inputs]
    try:
        prediction = model.predict(inputs)
        model.backward(data.draw(finite_values(scale), label="derivative"))
    except (OverflowError, ValueError) as error:
        assert "overflows" in str(error) or "too large" in str(error) or "nan" in str(error)
        prediction = None
    if prediction is not None:
        assert math.isfinite(prediction)
    assert every_number_is_finite(model)


@given(st.lists(finite_values(1e308), min_size=2, max_size=6))
def test_a_softmax_of_finite_scores_is_always_a_probability_distribution(scores):
    model = Softmax([Parameter(s) for s in scores])
    p = model.forward()
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in p)
    assert math.isclose(sum(p), 1.0, rel_tol=1e-12)
    assert p[scores.index(max(scores))] == max(p)


# -- numbers are accepted evenly -----------------------------------------------------------------------


@pytest.mark.parametrize("good", [2, 2.5, Fraction(5, 2), np.float32(2.5), np.float64(2.5), np.int64(2)])
def test_every_kind_of_real_number_is_accepted_and_stored_as_a_float(good):
    for node in (Input(good), Parameter(good, learning_rate=good)):
        assert node.value == float(good) and type(node.value) is float
    assert type(Parameter(1.0, learning_rate=good).learning_rate) is float
    model = linear_regression(weight=good, bias=good)
    assert model.predict([good]) == float(good) * float(good) + float(good)
    assert mse_loss(good, 0.0) == float(good) ** 2


@pytest.mark.parametrize("bad, error, message", [
    (True, TypeError, "got bool True"),
    (np.bool_(True), TypeError, "got bool"),
    ("2.5", TypeError, "got str '2.5'"),
    (1 + 1j, TypeError, "got complex"),
    (Decimal("2.5"), TypeError, "got Decimal"),
    (np.array(2.5), TypeError, "got ndarray"),
    (math.inf, ValueError, "must be a finite number, got inf"),
    (math.nan, ValueError, "must be a finite number, got nan"),
    (10 ** 400, OverflowError, "too large for a float, got an int of about 401 digits"),
    (Fraction(10 ** 400, 3), OverflowError, "too large for a float"),
])
def test_what_is_not_a_finite_real_number_is_refused_naming_the_argument(bad, error, message):
    for make, name in ((lambda: Input(bad), "the value of Input"),
                       (lambda: Parameter(bad), "the value of Parameter"),
                       (lambda: Parameter(1.0, learning_rate=bad), "learning_rate"),
                       (lambda: linear_regression(1.0, 1.0).predict([bad]), "the value of Input x1"),
                       (lambda: Add([Parameter(1.0)]).backward(bad), "Add.backward: the derivative from the parent"),
                       (lambda: mse_loss(bad, 1.0), "mse_loss: y_true"),
                       (lambda: softmax([bad, 1.0]), "softmax: item 0")):
        with pytest.raises(error, match=f"{name} .*{message}"):
            make()


def test_none_means_no_value_only_where_the_signature_says_so():
    assert -1 <= Parameter(None).value <= 1  # drawn from the generator
    for make in (lambda: Input(None), lambda: Parameter(1.0, learning_rate=None),
                 lambda: linear_regression(1.0, 1.0).predict([None])):
        with pytest.raises(TypeError, match="must be a real number, got NoneType"):
            make()


def test_a_learning_rate_set_later_is_checked_too():
    w = Parameter(1.0)
    w.learning_rate = np.float32(0.5)
    assert w.learning_rate == 0.5
    for bad, error in (("0.1", TypeError), (-0.1, ValueError), (math.inf, ValueError), (True, TypeError)):
        with pytest.raises(error, match="learning_rate"):
            w.learning_rate = bad
    assert w.learning_rate == 0.5


@pytest.mark.parametrize("call, name, good, low", [
    (lambda n: train_model(linear_regression(1.0, 0.0), mse_loss, mse_loss_grad, [([1.0], 1.0)], epochs=n,
                           print_every=None), "epochs", 1, 0),
    (lambda n: train_model(linear_regression(1.0, 0.0), mse_loss, mse_loss_grad, [([1.0], 1.0)], epochs=1,
                           print_every=n), "print_every", 1, 1),
    (lambda n: softmax_classifier(n_inputs=n), "n_inputs", 1, 1),
    (lambda n: softmax_classifier(n_classes=n), "n_classes", 2, 1),
    (lambda n: three_classes(n), "n_samples", 3, 3),
    (lambda n: linear_regression(0.5, 0.5).funcify(precision=n), "precision", 1, 1),
])
def test_counts_take_ints_and_numpy_ints_and_refuse_the_rest_by_name(call, name, good, low, capsys):
    call(good)
    call(np.int64(good))
    for bad in (float(good), True, str(good), low - 1):
        with pytest.raises(ValueError, match=f"{name} must be an int >= {low}, got "):
            call(bad)


@pytest.mark.parametrize("call, name", [(lambda n: three_classes(seed=n), "seed"),
                                        (lambda n: nt.manual_seed(n), "manual_seed")])
def test_seeds_take_any_int_and_refuse_the_rest_by_name(call, name):
    for good in (0, -3, np.int64(5), 10 ** 30):
        call(good)
    for bad in (1.0, True, "1", None):
        with pytest.raises(TypeError, match=name):
            call(bad)


def test_a_numpy_row_and_a_tuple_can_be_inputs_and_a_string_cannot():
    model = softmax_classifier(2, 3, rng=random.Random(0)).compile()
    assert model.predict(np.array([0.5, -1.0])) == model.predict((0.5, -1.0))
    with pytest.raises(TypeError, match="predict takes a list of 2 numbers, got str"):
        model.predict("ab")
    with pytest.raises(ValueError, match=r"this model has 2 inputs \(x1, x2\), but predict got 3 values"):
        model.predict(np.zeros(3))


def test_linear_weights_are_checked_by_number_and_kind():
    with pytest.raises(TypeError, match="weights must be a list of 2 numbers, got str"):
        Linear([Input(), Input()], weights="ab")
    with pytest.raises(TypeError, match="weights must be a list of 2 numbers, got generator"):
        Linear([Input(), Input()], weights=(w for w in (1.0, 2.0)))
    with pytest.raises(TypeError, match="weight 1 is None"):
        Linear([Input(), Input()], weights=[1.0, None])
    layer = Linear([Input(), Input()], weights=np.array([1.0, 2.0]), bias=np.float32(0.5))
    assert [w.value for w in layer.weights] + [layer.bias.value] == [1.0, 2.0, 0.5]


def test_an_output_takes_its_derivatives_as_any_sized_sequence_of_finite_numbers():
    out = Output([Parameter(1.0), Parameter(2.0)]).compile()
    out.predict([])
    out.backward(np.array([1.0, 2.0]))
    assert [c.derivative for c in out.children] == [1.0, 2.0]
    with pytest.raises(ValueError, match="Output.backward: item 1 must be a finite number"):
        out.backward([1.0, math.nan])
    with pytest.raises(TypeError, match="one derivative per output, as a list; got str"):
        out.backward("ab")
    with pytest.raises(TypeError, match="got dict"):
        out.backward({0: 1.0, 1: 2.0})
