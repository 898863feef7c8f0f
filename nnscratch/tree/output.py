"""Outputs: a root that gives a list of numbers instead of one.

Every node inside a model produces one number. Only the root may produce several:
an `Output` collects the values of its children into a list, and a `Softmax` turns
them into probabilities,

    pᵢ = e^zᵢ / Σⱼ e^zⱼ,

which are positive and sum to 1: one probability per class.

The loss is still one number, computed from the whole list, so backward starts from
one derivative per output, gᵢ = ∂L/∂pᵢ. The root passes each child zⱼ the sum of what
it contributed to every output:

    ∂L/∂zⱼ = Σᵢ gᵢ · ∂pᵢ/∂zⱼ.

For `Output`, pᵢ = zᵢ, so ∂L/∂zⱼ = gⱼ. For `Softmax`, ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ), so

    ∂L/∂zⱼ = pⱼ · (gⱼ − Σᵢ gᵢpᵢ).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .checks import as_finite_list, not_finite, show
from .formula import ATOM
from .functions import softmax
from .nodes import NeuralNetNode

__all__ = ["Output", "Softmax", "softmax", "softmax_backward"]


class Output(NeuralNetNode):
    """The root of a model with several outputs: ``forward()`` returns the list of its
    children's values. It cannot be the child of another node."""

    __slots__ = ()
    arity = (1, None)

    @classmethod
    def _is_root_only(cls) -> bool:
        return True

    def op(self, x: list[float]) -> list[float]:
        return list(x)

    def forward(self) -> list[float]:
        # A copy, so that changing the returned list cannot change the cached one.
        return list(super().forward())

    def check_value(self, value: Any, operands: list[float]) -> list[float]:
        """``value``, the list ``op`` made of the children's values, if it holds one finite
        number per child (`forward` calls this for every list, since it is not a float)."""
        name = type(self).__name__
        if not isinstance(value, list) or len(value) != len(self._children):
            raise TypeError(f"{name}.op must return a list of {len(self._children)} numbers, got {show(value)}")
        for v in value:
            if type(v) is not float or v - v:
                return [super(Output, self).check_value(v, operands) for v in value]
        return value

    def grad(self) -> list[float]:
        raise TypeError(f"{type(self).__name__} has several outputs, so no single list of local "
                        "derivatives; its backward pass uses child_derivatives(derivatives)")

    def output_derivatives(self, derivatives: Sequence[float]) -> list[float]:
        """∂L/∂zⱼ for each child zⱼ, given gᵢ = ∂L/∂(output i): here simply gⱼ."""
        return list(derivatives)

    def child_derivatives(self, derivative: Any) -> list[float]:
        return self.output_derivatives(derivative)

    def _check_derivative(self, derivative: Any) -> list[float]:
        return as_finite_list(derivative, f"{type(self).__name__}.backward", "one derivative per output",
                              len(self._children))

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        return "[" + ", ".join(text for text, _ in parts) + "]", ATOM


def softmax_backward(probabilities: Sequence[float], derivatives: Sequence[float]) -> list[float]:
    """∂L/∂zⱼ = pⱼ · (gⱼ − Σᵢ gᵢpᵢ), for probabilities p = softmax(z) and gᵢ = ∂L/∂pᵢ."""
    p = as_finite_list(probabilities, "softmax_backward", "probabilities")
    g = as_finite_list(derivatives, "softmax_backward", "one derivative per probability", len(p))
    dot = sum(gi * pi for gi, pi in zip(g, p))
    out = [pj * (gj - dot) for pj, gj in zip(p, g)]
    for j, d in enumerate(out):
        if d - d:
            raise not_finite(f"softmax_backward: ∂L/∂z{j} = {show(p[j])} * ({show(g[j])} - {show(dot)})", d)
    return out


class Softmax(Output):
    """The probabilities softmax(z₁, …, zₙ) of its n children (n ≥ 2)."""

    __slots__ = ()
    arity = (2, None)

    def op(self, x: list[float]) -> list[float]:
        return softmax(x)

    def output_derivatives(self, derivatives: Sequence[float]) -> list[float]:
        return softmax_backward(self.forward(), derivatives)

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        return "softmax(" + ", ".join(text for text, _ in parts) + ")", ATOM
