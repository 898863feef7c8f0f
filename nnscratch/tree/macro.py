"""Macros: operations that stand for a whole tree of elementary ones.

A linear layer over inputs c₁ … cₙ computes w₁c₁ + … + wₙcₙ + b. Nothing about that
needs a new kind of node: it is an `Add` of n `Multiply` nodes and a bias. A `Macro`
says so once, in ``expand()``, and `compile` swaps every macro in a model for its
expansion, so forward and backward only ever meet the elementary operations.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from .checks import show
from .errors import ModelError
from .nodes import Add, Multiply, NeuralNetNode, Operation, Parameter

__all__ = ["Macro", "Linear"]


class Macro(Operation):
    """An operation defined as a tree of other operations, expanded by `compile`.

    A subclass implements ``expand()``: build and return the tree it stands for, over
    ``self.children``. The expansion is built once and kept, so a macro shared by two
    parents becomes one shared subtree, and its parameters are the same every time.
    """

    __slots__ = ("_expansion",)
    is_macro = True

    def __init__(self, children: Iterable[NeuralNetNode]) -> None:
        super().__init__(children)
        self._expansion: Optional[NeuralNetNode] = None

    def expand(self) -> NeuralNetNode:
        """The tree of operations this macro stands for, built over ``self.children``."""
        raise NotImplementedError(f"{type(self).__name__} must define expand()")

    def expansion(self) -> NeuralNetNode:
        """The tree from ``expand()``, built on the first call and the same ever after."""
        if self._expansion is None:
            tree = self.expand()
            if not isinstance(tree, NeuralNetNode):
                raise TypeError(f"{type(self).__name__}.expand() must return a node, got {type(tree).__name__} "
                                f"{show(tree)}")
            if tree is self:
                raise ValueError(f"{type(self).__name__}.expand() returned the macro itself")
            self._expansion = tree
            # The macro is no longer the parent of its children; the expansion is.
            for child in self._children:
                child._parents.remove(self)
        return self._expansion

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise ModelError(
            f"{type(self).__name__} is a Macro: compile the model first (model = model.compile()), "
            "which replaces it with elementary operations")

    op = grad = forward = predict = backward = parameters = _refuse  # type: ignore[assignment]
    inputs = property(_refuse)  # type: ignore[assignment]

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        return self._refuse()


class Linear(Macro):
    """w₁c₁ + w₂c₂ + … + wₙcₙ + b over its n children: n weights and one bias.

    Expands to ``Add([Multiply([w₁, c₁]), …, Multiply([wₙ, cₙ]), b])``. The weights and
    the bias are made here, when the layer is built: from ``weights`` and ``bias`` if
    given, otherwise drawn uniformly from [-1, 1] (see `Parameter`).
    """

    __slots__ = ("weights", "bias")

    def __init__(
        self,
        children: Iterable[NeuralNetNode],
        weights: Optional[Sequence[float]] = None,
        bias: Optional[float] = None,
        learning_rate: float = 0.01,
        *,
        rng: Optional[random.Random] = None,
    ) -> None:
        super().__init__(children)
        n = len(self._children)
        if weights is None:
            values: list[Optional[float]] = [None] * n
        else:
            if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__"):
                raise TypeError(f"Linear: weights must be a list of {n} numbers, got {type(weights).__name__} "
                                f"{show(weights)}")
            if len(weights) != n:
                raise ValueError(f"Linear over {n} children needs {n} weights, got {len(weights)}")
            values = list(weights)
            for i, w in enumerate(values):
                if w is None:
                    raise TypeError(f"Linear: weight {i} is None; give every weight a number, or weights=None")
        self.weights = [Parameter(w, learning_rate, rng=rng) for w in values]
        self.bias = Parameter(bias, learning_rate, rng=rng)

    def expand(self) -> NeuralNetNode:
        products = [Multiply([w, child]) for w, child in zip(self.weights, self._children)]
        return Add([*products, self.bias])
