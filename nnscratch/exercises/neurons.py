"""Exercises for the chapter *Neurons, layers and networks*.

* `q1`: write ``count_parameters(nin, nouts)``, the number of weights and biases of an MLP;
* `q2`: write ``relu_neuron(x, w, b)``, one neuron with a ReLU, out of `Value` operations;
* `q3`: two neurons without an activation collapse into one: find its ``w`` and ``b``;
* `q4`: build a network with ``nnscratch.nn.MLP`` to a specification.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

from ..engine import Value
from ..nn import MLP
from .core import NumberProblem, Problem, Unattempted, is_blank

__all__ = ["q1", "q2", "q3", "q4"]


# -- q1: counting parameters --------------------------------------------------------


def _layer_sizes(nin: int, nouts: list[int]) -> list[tuple[int, int]]:
    sizes = [nin, *nouts]
    return list(zip(sizes[:-1], sizes[1:]))


def _count(nin: int, nouts: list[int]) -> int:
    """Σ over layers of nin·nout + nout: each neuron has one weight per input and a bias."""
    return sum(a * b + b for a, b in _layer_sizes(nin, nouts))


class CountParameters(Problem):
    """``count_parameters(nin, nouts)`` must give the parameter count of ``MLP(nin, nouts)``."""

    CASES: tuple[tuple[int, tuple[int, ...]], ...] = (
        (3, (4, 4, 1)),
        (2, (16, 16, 1)),
        (4, (8, 8, 3)),
        (10, (1,)),
        (1, (1, 1, 1)),
        (5, (7, 2)),
    )

    # Counts that come from a typical slip, each with what to say about it.
    SLIPS: tuple[tuple[Callable[[int, list[int]], int], str], ...] = (
        (lambda nin, nouts: sum(a * b for a, b in _layer_sizes(nin, nouts)),
         "counts the weights but not the biases: every neuron also has one bias."),
        (lambda nin, nouts: sum(nouts),
         "counts the neurons. Each neuron has several parameters: one weight per input, and a bias."),
        (lambda nin, nouts: sum(a * b + a for a, b in _layer_sizes(nin, nouts)),
         "gives each layer one bias per input. A bias belongs to a neuron, so a layer has one per neuron."),
        (lambda nin, nouts: sum(a * b + b for a, b in _layer_sizes(nouts[0], nouts[1:])) if len(nouts) > 1 else 0,
         "leaves out the first layer: its neurons take the nin inputs, and they have weights and biases too."),
        (lambda nin, nouts: sum(a * b + b for a, b in _layer_sizes(nin, nouts[:-1])),
         "leaves out the last layer: the output neurons have weights and biases too."),
        (lambda nin, nouts: sum((a + 1) * (b + 1) for a, b in _layer_sizes(nin, nouts)),
         "counts (inputs + 1)·(neurons + 1) per layer; there is one extra weight per neuron (its bias), not an extra neuron."),
    )

    def _grade(self, count_parameters: Any) -> str | None:
        if not callable(count_parameters):
            return f"`count_parameters` should be a function, but it is a {type(count_parameters).__name__}."
        for nin, nouts in self.CASES:
            call = f"count_parameters({nin}, {list(nouts)})"
            got = count_parameters(nin, list(nouts))
            if is_blank(got):
                raise Unattempted("`count_parameters` still returns ____: fill in its body, run that cell, then check again.")
            if got is None:
                return f"{call} returned None: did you forget `return`?"
            if hasattr(got, "data") and hasattr(got, "grad"):
                return f"{call} returned a Value; count with plain numbers."
            if isinstance(got, bool) or not isinstance(got, numbers.Real):
                return f"{call} returned a {type(got).__name__}; it should return a whole number."
            expected = _count(nin, list(nouts))
            if got == expected:
                continue
            for slip, message in self.SLIPS:
                if got == slip(nin, list(nouts)):
                    return f"{call} returned {got!r}, which {message}"
            size = "too many" if got > expected else "too few"
            return f"{call} returned {got!r}, {size}. Count layer by layer: how many weights does one neuron of that layer have?"
        return None


q1 = CountParameters(
    "count_parameters",
    hints=[
        "Take one layer at a time. A layer that reads `a` numbers and has `b` neurons: how many "
        "weights does each of its neurons have, and how many biases?",
        "The first layer reads the `nin` inputs; every later layer reads the outputs of the layer "
        "before it. So the layer sizes in order are `[nin] + nouts`, and the layers are the "
        "neighbouring pairs `(a, b)` of that list. Each pair contributes a·b + b.",
    ],
    solution='''\
def count_parameters(nin, nouts):
    sizes = [nin] + list(nouts)
    total = 0
    for a, b in zip(sizes[:-1], sizes[1:]):
        total += a * b + b        # b neurons, each with a weights and 1 bias
    return total''',
    explanation="`len(MLP(nin, nouts).parameters())` gives the same number, which is a good way to test it.",
)


# -- q2: a ReLU neuron --------------------------------------------------------------


class ReluNeuron(Problem):
    """``relu_neuron(x, w, b)`` must return the `Value` relu(b + Σ wᵢxᵢ), with gradients."""

    CASES: tuple[tuple[list[float], list[float], float], ...] = (
        ([1.0, 2.0], [0.5, -0.25], 0.75),     # sum 0.75 > 0
        ([2.0, -1.0, 3.0], [0.5, 1.5, 0.25], 0.5),  # sum 0.75 > 0, bias matters
        ([1.0, 2.0], [-1.0, 0.5], -0.5),      # sum -0.5 < 0: ReLU gives 0
        ([3.0], [2.0], -1.0),                 # sum 5
    )

    def _grade(self, relu_neuron: Any) -> str | None:
        if not callable(relu_neuron):
            return f"`relu_neuron` should be a function, but it is a {type(relu_neuron).__name__}."
        for xs, ws, bias in self.CASES:
            w = [Value(wi) for wi in ws]
            b = Value(bias)
            call = f"relu_neuron({xs}, w, b) with weights {ws} and bias {bias}"
            out = relu_neuron(list(xs), w, b)
            if is_blank(out):
                raise Unattempted("`relu_neuron` still returns ____: fill in its body, run that cell, then check again.")
            if out is None:
                return f"{call} returned None: did you forget `return`?"
            if not isinstance(out, Value):
                if isinstance(out, numbers.Real):
                    return (f"{call} returned a plain number. Build the result out of Values "
                            "(w[i] * x[i], +, .relu()) so that backward() can reach w and b.")
                return f"{call} returned a {type(out).__name__}; it should return one Value."
            raw = bias + sum(wi * xi for wi, xi in zip(ws, xs))
            expected = max(0.0, raw)
            if not math.isclose(out.data, expected, rel_tol=1e-9, abs_tol=1e-12):
                no_bias = sum(wi * xi for wi, xi in zip(ws, xs))
                if math.isclose(out.data, max(0.0, no_bias), rel_tol=1e-9, abs_tol=1e-12):
                    return f"{call} leaves out the bias b."
                if math.isclose(out.data, math.tanh(raw), rel_tol=1e-9, abs_tol=1e-12):
                    return f"{call} applies tanh; this neuron's activation is ReLU."
                if math.isclose(out.data, raw, rel_tol=1e-9, abs_tol=1e-12):
                    return (f"{call} returned a negative number, so no ReLU was applied: "
                            "a ReLU turns every negative sum into 0.")
                return f"{call} returned {out.data!r}, which is not relu(b + w·x)."
            out.backward()
            active = raw > 0
            for i, (wi, xi) in enumerate(zip(w, xs)):
                want = xi if active else 0.0
                if not math.isclose(wi.grad, want, rel_tol=1e-9, abs_tol=1e-12):
                    return (f"{call}: the output is right but the gradient of w[{i}] is not. "
                            "Compute with the Values themselves (not their .data), so that "
                            "every step is recorded in the graph.")
            if not math.isclose(b.grad, 1.0 if active else 0.0, rel_tol=1e-9, abs_tol=1e-12):
                return (f"{call}: the output is right but the gradient of b is not. "
                        "Add the bias Value b itself, not b.data.")
        return None


q2 = ReluNeuron(
    "relu_neuron",
    hints=[
        "Start the sum at the bias: `act = b`, then add `w[i] * x[i]` for every input. "
        "Then apply the activation.",
        "A `Value` has a `.relu()` method. Keep everything as Values: if you use `.data`, "
        "the graph loses track and the gradients come out wrong.",
    ],
    solution='''\
def relu_neuron(x, w, b):
    act = b
    for wi, xi in zip(w, x):
        act = act + wi * xi
    return act.relu()''',
    explanation="`sum((wi * xi for wi, xi in zip(w, x)), b).relu()` says the same in one line.",
)


# -- q3: two linear neurons are one -------------------------------------------------

q3 = NumberProblem(
    ("w", "b"),
    (-6.0, 1.0),
    hints=[
        "Write the second neuron with the first one's formula substituted for h: "
        "o = −3·(2x + 1) + 4. Multiply out the bracket.",
        "After multiplying out, o = (something)·x + (something else). The first something is "
        "w; the second collects every term without an x.",
    ],
    solution="""\
# o = -3 * h + 4 with h = 2 * x + 1
#   = -3 * (2 * x + 1) + 4
#   = -6 * x - 3 + 4
w = -6
b = 1""",
    explanation=(
        "However many layers without an activation you stack, the result is one straight line "
        "(one linear function of the inputs): depth buys nothing. The activation after each layer "
        "is what lets a network bend."
    ),
    mistakes=[
        (lambda w, b: w == -6 and b in (4.0, 5.0, -2.0),
         "`w` is right. For `b`, the second neuron multiplies all of h by −3, the first neuron's "
         "bias included, and then adds its own bias."),
        (lambda w, b: w == -1.0,
         "`w` adds the two weights; but the second neuron multiplies h, so the weights multiply."),
        (lambda w, b: w == 6.0,
         "`w` has the wrong sign: x goes through a weight of 2 and then one of −3."),
    ],
)


# -- q4: a network to a specification -----------------------------------------------


class BuildModel(Problem):
    """``model`` must be ``nnscratch.nn.MLP`` with 2 inputs, hidden layers of 8 and 8 ReLU
    neurons, one linear output, and the weights that seed 7 gives."""

    NIN = 2
    NOUTS = (8, 8, 1)
    SEED = 7

    def _grade(self, model: Any) -> str | None:
        if not isinstance(model, MLP):
            if hasattr(model, "layers") and hasattr(model, "parameters"):
                return ("`model` is an MLP, but not nnscratch's: build it with "
                        "`nnscratch.nn.MLP` (the exercise cell imports it as `MLP`), which takes activation, "
                        "linear_output and seed.")
            return f"`model` should be an MLP from nnscratch.nn, but it is a {type(model).__name__}."
        layers = model.layers
        nin = layers[0].neurons[0].nin
        if nin != self.NIN:
            return f"`model` takes {nin} inputs; each point of the data has {self.NIN} coordinates."
        sizes = tuple(len(layer.neurons) for layer in layers)
        if sizes[-1] != 1:
            return f"`model` ends in a layer of {sizes[-1]} neurons; it should give one number."
        if len(sizes) != len(self.NOUTS):
            return f"`model` has {len(sizes) - 1} hidden layers; the specification asks for two."
        if sizes != self.NOUTS:
            return f"`model` has hidden layers of {sizes[0]} and {sizes[1]} neurons; count them again."
        hidden = [layer.neurons[0].activation for layer in layers[:-1]]
        if any(a != "relu" for a in hidden):
            return f"the hidden layers use {hidden[0]}; the specification asks for ReLU."
        out = layers[-1].neurons[0].activation
        if out != "linear":
            return f"the output neuron applies {out}; it should be linear (linear_output=True)."
        reference = MLP(self.NIN, list(self.NOUTS), activation="relu", linear_output=True, seed=self.SEED)
        if [p.data for p in model.parameters()] != [p.data for p in reference.parameters()]:
            return ("the shape is right, but the starting weights are not the ones the "
                    "specified seed gives: pass it as seed=.")
        return None


q4 = BuildModel(
    "model",
    hints=[
        "`MLP(nin, nouts, activation=..., linear_output=..., seed=...)`: `nouts` lists the size of "
        "every layer after the inputs, the output layer included.",
        "Two hidden layers of 8 and one output neuron is `nouts=[8, 8, 1]`. ReLU is "
        "`activation=\"relu\"`; a linear output is `linear_output=True`.",
    ],
    solution='''\
model = MLP(2, [8, 8, 1], activation="relu", linear_output=True, seed=7)''',
    explanation="`print(model)` shows its shape, activations and parameter count: 105 parameters.",
)

