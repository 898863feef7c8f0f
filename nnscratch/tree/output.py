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

import math
from collections.abc import Sequence
from typing import Any

from .nodes import NeuralNetNode, _as_finite

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

    def grad(self) -> list[float]:
        raise TypeError(f"{type(self).__name__} has several outputs, so no single list of local "
                        "derivatives; its backward pass uses child_derivatives(derivatives)")

    def output_derivatives(self, derivatives: Sequence[float]) -> list[float]:
        """∂L/∂zⱼ for each child zⱼ, given gᵢ = ∂L/∂(output i): here simply gⱼ."""
        return list(derivatives)

    def child_derivatives(self, derivative: Any) -> list[float]:
        return self.output_derivatives(derivative)

    def _check_derivative(self, derivative: Any) -> list[float]:
        name = type(self).__name__
        n = len(self._children)
        if isinstance(derivative, (str, bytes)) or not isinstance(derivative, Sequence):
            raise TypeError(f"{name}.backward needs one derivative per output ({n}), "
                            f"as a list; got {type(derivative).__name__} {derivative!r}")
        if len(derivative) != n:
            raise ValueError(f"{name}.backward needs one derivative per output: {n}, got {len(derivative)}")
        return [_as_finite(d, f"{name}.backward: derivative {i}") for i, d in enumerate(derivative)]

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        from .nodes import ATOM

        return "[" + ", ".join(text for text, _ in parts) + "]", ATOM


def softmax(values: Sequence[float]) -> list[float]:
    """pᵢ = e^zᵢ / Σⱼ e^zⱼ, computed as e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z) so that no
    exponential overflows."""
    top = max(values)
    exps = [math.exp(z - top) for z in values]
    total = sum(exps)
    return [e / total for e in exps]


def softmax_backward(probabilities: Sequence[float], derivatives: Sequence[float]) -> list[float]:
    """∂L/∂zⱼ = pⱼ · (gⱼ − Σᵢ gᵢpᵢ), for probabilities p = softmax(z) and gᵢ = ∂L/∂pᵢ."""
    if len(probabilities) != len(derivatives):
        raise ValueError(f"{len(probabilities)} probabilities but {len(derivatives)} derivatives")
    dot = sum(g * p for g, p in zip(derivatives, probabilities))
    return [p * (g - dot) for p, g in zip(probabilities, derivatives)]


class Softmax(Output):
    """The probabilities softmax(z₁, …, zₙ) of its n children (n ≥ 2)."""

    __slots__ = ()
    arity = (2, None)

    def op(self, x: list[float]) -> list[float]:
        return softmax(x)

    def output_derivatives(self, derivatives: Sequence[float]) -> list[float]:
        return softmax_backward(self.forward(), derivatives)

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        from .nodes import ATOM

        return "softmax(" + ", ".join(text for text, _ in parts) + ")", ATOM
