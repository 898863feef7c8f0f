"""The nodes of a tree-shaped network and the two passes over them.

A model is a tree of nodes. The leaves are `Input` (a number fed in from outside) and
`Parameter` (a number the model learns); every other node is an `Operation` whose
arguments are its children:

    Add([Multiply([Parameter(), Input()]), Parameter()])        # w·x + b

*Forward*: ``node.forward()`` asks its children for their values (recursively, down to
the leaves) and applies its operation ``op`` to them.

*Backward*: each operation knows its local derivatives ``grad()``: the derivative of
its value with respect to each child. Given ∂L/∂node (the derivative of the loss with
respect to this node, handed down by its parent), the chain rule gives each child

    ∂L/∂child = ∂L/∂node · ∂node/∂child.

A `Parameter` that receives ∂L/∂p takes a gradient-descent step, p ← p − lr · ∂L/∂p.

Three additions to that basic design live here too:

* **Forward caching.** After `compile`, a node keeps its last value and returns it
  until something below it changes. A leaf whose value changes (an input set by
  `predict`, a parameter updated by training) marks every node above it as stale, so
  a cached value is reused if and only if no input or parameter below it has changed.
* **Shared nodes.** A node may have several parents (``Multiply([h, h])``). `backward`
  visits the nodes in a topological order (every parent before its children), so a
  node has received the derivatives from *all* its parents, summed, before it passes
  anything on, and each parameter is updated once, with its full derivative.
* **Reproducible parameters.** ``Parameter()`` without a value draws one uniformly from
  [-1, 1] with a generator of this module that starts from seed 0 (`manual_seed`
  restarts it), or with the ``rng`` you pass. The same program builds the same model.

Two guarantees hold in every pass:

* **Only finite numbers.** A value, a derivative or a parameter that would overflow
  (or come out nan) is never stored: the operation raises an `OverflowError` (a
  `ValueError` for nan) that names it and its operands. See `nnscratch.tree.checks`.
* **Depth.** ``forward`` is recursive, as chapter 08 builds it, so it reaches only as
  deep as Python's recursion limit; past it, a `DepthError` (a `RecursionError`) says
  which limit was hit and what to do. Everything else (compile, backward, repr,
  `funcify`, the walks) uses explicit stacks and works at any depth.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import Any, Optional, Union

from .checks import as_finite, as_float, not_finite, show, show_all
from .compiler import compile_model
from .errors import DepthError, ModelError
from .formula import ATOM, PRODUCT, SUM, funcify
from .functions import sigmoid
from .graph import depth, topological_order, walk

__all__ = [
    "NeuralNetNode",
    "Input",
    "Parameter",
    "Operation",
    "Add",
    "Multiply",
    "ReLU",
    "Sigmoid",
    "sigmoid",
    "manual_seed",
    "ModelError",
    "DepthError",
]

Derivative = Union[float, Sequence[float]]

#: A model whose repr would be longer than this is shown as a summary instead.
REPR_LIMIT = 10_000

_default_rng = random.Random(0)


def manual_seed(seed: int) -> None:
    """Restart the generator that ``Parameter()`` draws from when given no value.

    Call it before building a model to get the same starting values every time the
    code runs, as ``torch.manual_seed`` does for PyTorch.
    """
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"manual_seed needs an int, got {type(seed).__name__} {show(seed)}")
    _default_rng.seed(int(seed))


class NeuralNetNode:
    """A node of the model: a leaf (`Input`, `Parameter`) or an operation on its children.

    The public attributes, which a drawing or a step-by-step player of the passes can
    rely on (they are kept stable):

    * ``children``: the nodes it is computed from, in order (a tuple; empty for a leaf);
    * ``parents``: the nodes that use it (one for a node of a tree, several if shared);
    * ``value``: a leaf's number (`Input`, `Parameter`); an operation's value is what
      ``forward()`` returns;
    * ``derivative``: ∂L/∂node from the last backward pass (a list of one number per
      output for an `Output` root); 0.0 before any;
    * ``forward_calls``: how many times ``forward()`` has been called on it;
    * ``inputs``: on a model's root, its `Input` nodes in the order `predict` fills them;
    * ``is_cached``: whether ``forward()`` would answer from the cache.
    """

    __slots__ = ("_children", "_parents", "_value", "_fresh", "_caching", "_compiled",
                 "derivative", "forward_calls", "__weakref__")

    #: How many children the node takes: (at least, at most); None means no upper limit.
    arity: tuple[int, Optional[int]] = (0, 0)
    #: `find_input_nodes` keeps the nodes whose class says True (`Input`).
    is_input = False
    #: `compile` replaces the nodes whose class says True (`Macro`) by their expansion.
    is_macro = False

    def __init__(self, children: Iterable[NeuralNetNode] = ()) -> None:
        name = type(self).__name__
        if isinstance(children, NeuralNetNode):
            raise TypeError(f"{name} takes a list of children, e.g. {name}([node]); got a single node {children!r}")
        try:
            kids = tuple(children)
        except TypeError:
            raise TypeError(f"{name} takes a list of child nodes, got {type(children).__name__} "
                            f"{show(children)}") from None
        for i, child in enumerate(kids):
            if not isinstance(child, NeuralNetNode):
                raise TypeError(f"{name}: child {i} is a {type(child).__name__} ({show(child)}), not a node; "
                                "wrap numbers in Parameter(...) or Input(...)")
            if child._is_root_only():
                raise TypeError(f"{name}: child {i} is a {type(child).__name__}, which can only be the root of a model")
        low, high = self.arity
        if len(kids) < low or (high is not None and len(kids) > high):
            if high == low:
                want = f"exactly {low} child{'ren' * (low != 1)}"
            elif high is None:
                want = f"at least {low} child{'ren' * (low != 1)}"
            else:
                want = f"{low} to {high} children"
            raise ValueError(f"{name} takes {want}, got {len(kids)}")
        self._children = kids
        self._parents: list[NeuralNetNode] = []
        for child in kids:
            child._parents.append(self)
        self._value: Any = 0.0
        self._fresh = False
        self._caching = False
        self._compiled: Any = None
        self.derivative: Derivative = 0.0
        self.forward_calls = 0

    @classmethod
    def _is_root_only(cls) -> bool:
        return False

    # -- structure -------------------------------------------------------------------

    @property
    def children(self) -> tuple[NeuralNetNode, ...]:
        """The nodes this one is computed from, in order."""
        return self._children

    @property
    def parents(self) -> tuple[NeuralNetNode, ...]:
        """The nodes that use this one (a node used twice by one parent appears twice)."""
        return tuple(self._parents)

    # -- the forward pass ------------------------------------------------------------

    def op(self, x: list[float]) -> Any:
        """The node's operation, applied to its children's values ``x``."""
        raise NotImplementedError(f"{type(self).__name__} does not define op()")

    def forward(self) -> Any:
        """The node's value: ``op`` of its children's values, computed recursively.

        After `compile` (with caching on), the value is kept and returned again as long
        as nothing below the node has changed. A value that is not a finite number is
        refused (see `check_value`); a tree deeper than the recursion limit raises
        `DepthError`.
        """
        self.forward_calls += 1
        if self._fresh:
            return self._value
        values = []
        try:
            for child in self._children:
                values.append(child.forward())
        except RecursionError as exc:
            # The limit was hit just below here, where no function can be called any
            # more: raise the error that says so, or pass on the one already raised.
            if isinstance(exc, DepthError):
                raise
            raise DepthError("forward()") from None
        value = self.op(values)
        if type(value) is not float or value - value:  # not a float, or inf, or nan
            value = self.check_value(value, values)
        if self._caching:
            self._value = value
            self._fresh = True
        return value

    def check_value(self, value: Any, operands: list[float]) -> Any:
        """``value``, the result of ``op(operands)``, as a finite float, or the error that
        says what went wrong. ``forward`` calls it only when ``value`` is not a finite
        float, so it costs nothing on the way of ordinary numbers."""
        name = type(self).__name__
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"{name}.op returned a {type(value).__name__} ({show(value)}), not a number")
        result = as_float(value)
        if result - result:
            raise not_finite(f"{name}: {self.describe(operands)}", result)
        return result

    def describe(self, operands: Sequence[float]) -> str:
        """The node's operation written out on ``operands``, for error messages."""
        return f"{type(self).__name__.lower()}({show_all(operands)})"

    def __call__(self) -> Any:
        return self.forward()

    @property
    def is_cached(self) -> bool:
        """True if the node holds a value that `forward` will return without computing."""
        return self._fresh

    def invalidate(self) -> None:
        """Forget the cached value of every node above this one (its ancestors).

        A leaf calls this when its value changes. Marking stops at a node that is
        already stale: every node above a stale node is stale too, because a node
        computes its value only from fresh children.
        """
        stack: list[NeuralNetNode] = [self]
        seen: Optional[set[int]] = None
        while stack:
            node = stack.pop()
            for parent in node._parents:
                if parent._fresh:
                    parent._fresh = False
                    stack.append(parent)
                elif not parent._caching:
                    # A node that does not cache is never fresh, but a caching node may
                    # sit above it (a subtree shared with a model compiled differently).
                    if seen is None:
                        seen = set()
                    if id(parent) not in seen:
                        seen.add(id(parent))
                        stack.append(parent)

    # -- the backward pass -----------------------------------------------------------

    def grad(self) -> list[float]:
        """∂node/∂child for each child, in order, at the children's current values."""
        raise NotImplementedError(f"{type(self).__name__} does not define grad()")

    def child_derivatives(self, derivative: Derivative) -> list[float]:
        """∂L/∂child for each child, given ∂L/∂node: the chain rule, ∂L/∂node · ∂node/∂child."""
        return [derivative * local for local in self.grad()]

    def on_backward(self, derivative: Derivative) -> None:
        """What the node does with ∂L/∂node once it is complete (a `Parameter` learns)."""

    def backward(self, derivative_from_parent: Derivative = 1.0, update: bool = True) -> None:
        """Pass ∂L/∂self down to every node below, and let the parameters learn.

        ``derivative_from_parent`` is ∂L/∂self (for a model's root: the derivative of the
        loss with respect to the prediction). Nodes are visited parents first, so each
        node's ``derivative`` is the sum over all its parents before it is passed on,
        and each `Parameter` steps once: p ← p − lr · ∂L/∂p. With ``update=False`` the
        derivatives are computed and nothing changes.

        On a tree (one parent per node) this gives exactly what the recursive pass of
        `backward_single_parent` gives; on shared nodes it is still right, and that one
        is not. It is a loop over the nodes, not a recursion: any depth works. A
        derivative that overflows is an `OverflowError` naming the nodes it passed.
        """
        if not isinstance(update, bool):
            raise TypeError(f"update must be True or False, got {show(update)}")
        order = self._compiled.order if self._compiled is not None else topological_order(self)
        derivative = self._check_derivative(derivative_from_parent)
        for node in order:
            node.derivative = 0.0
        self.derivative = derivative
        for node in order:
            d = node.derivative
            if update:
                node.on_backward(d)
            children = node._children
            if children:
                try:
                    shares = node.child_derivatives(d)
                except TypeError as exc:
                    raise TypeError(f"backward: {type(node).__name__} could not pass ∂L/∂node = {show(d)} to its "
                                    f"children ({exc}); check its grad(), which must return a list of numbers, "
                                    "one per child") from exc
                if len(shares) != len(children):
                    raise ValueError(f"{type(node).__name__} has {len(children)} children but its grad() gave "
                                     f"{len(shares)} derivatives ({show(shares)}); it needs one per child")
                for child, share in zip(children, shares):
                    total = child.derivative + share
                    if type(total) is not float or total - total:  # not a float, or inf, or nan
                        total = node._check_share(child, share, d)
                    child.derivative = total

    def _check_share(self, child: NeuralNetNode, share: Any, derivative: Any) -> float:
        """The derivative of ``child`` with the ``share`` that this node passes it added,
        or the error that says why it is not a finite number."""
        name = type(self).__name__
        i = next(i for i, c in enumerate(self._children) if c is child)
        where = f"backward: {name} passes to its child {i} (a {type(child).__name__})"
        if isinstance(share, bool) or not isinstance(share, Real):
            raise TypeError(f"{where} a {type(share).__name__} ({show(share)}), not a number: check its grad()")
        share = as_float(share)
        if share - share:
            if math.isnan(share):
                raise ValueError(f"{where} nan (not a number), from ∂L/∂{name} = {show(derivative)}")
            raise OverflowError(f"{where} {share!r}: ∂L/∂{name} = {show(derivative)} times its local "
                                "derivative is too large for a float")
        total = child.derivative + share
        if total - total:
            raise OverflowError(f"{where} {show(share)}, and the derivative it already had from its other "
                                f"parents, {show(child.derivative)}, added to that is too large for a float")
        return total

    def _check_derivative(self, derivative: Any) -> Derivative:
        return as_finite(derivative, f"{type(self).__name__}.backward: the derivative from the parent")

    # -- using a model ---------------------------------------------------------------

    def compile(self, cache: bool = True) -> NeuralNetNode:
        """Prepare the model rooted here; returns the root to use from now on.

        Expands every `Macro` into elementary operations, finds the inputs (once, in
        order, each shared input once), names the unnamed ones ``x1, x2, ...``, works
        out the order of the backward pass, and turns forward caching on (or off, with
        ``cache=False``). The root is ``self`` unless ``self`` is a `Macro`, which is
        replaced by its expansion: write ``model = model.compile()``.
        """
        return compile_model(self, cache)

    @property
    def is_compiled(self) -> bool:
        return self._compiled is not None

    @property
    def inputs(self) -> tuple[Input, ...]:
        """The model's `Input` nodes, in the order `predict` fills them."""
        if self._compiled is None:
            self.compile()
        return self._compiled.inputs

    def predict(self, inputs: Sequence[float]) -> Any:
        """Set the inputs to ``inputs`` (in order) and return the model's output.

        Compiles the model on first use (finding the inputs once, not on every call).
        """
        if self._compiled is None:
            self.compile()
        nodes = self._compiled.inputs
        if isinstance(inputs, (str, bytes)):
            raise TypeError(f"predict takes a list of {len(nodes)} numbers, got {type(inputs).__name__} {show(inputs)}")
        try:
            n = len(inputs)
        except TypeError:
            raise TypeError(f"predict takes a list of {len(nodes)} numbers, got {type(inputs).__name__} "
                            f"{show(inputs)}") from None
        if n != len(nodes):
            names = ", ".join(node.name for node in nodes) or "none"
            raise ValueError(f"this model has {len(nodes)} input{'s' * (len(nodes) != 1)} ({names}), "
                             f"but predict got {n} value{'s' * (n != 1)}")
        for node, value in zip(nodes, inputs):
            node.value = value
        return self.forward()

    def parameters(self) -> list[Parameter]:
        """The distinct `Parameter` nodes of the model, in the order a left-to-right walk meets them."""
        return [node for node in walk(self) if isinstance(node, Parameter)]

    def funcify(self, precision: Optional[int] = None) -> str:
        """The model as a formula, such as ``0.5 * x1 - 17.0``.

        Parameters appear as their values (``repr``, or ``precision`` significant
        digits), inputs by name; parentheses appear only where precedence needs them.
        """
        return funcify(self, precision)

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        """This node as a formula, given its children's formulas ``(text, precedence)``.

        The default writes a function call, ``name(a, b)``.
        """
        args = ", ".join(text for text, _ in parts)
        return f"{type(self).__name__.lower()}({args})", ATOM

    def __repr__(self) -> str:
        """``Add([Multiply([Parameter(0.5), Input(2.0, name='f')]), Parameter(-1.0)])``:
        the code that builds the model. Built with a loop (any depth works); a model whose
        repr would run past `REPR_LIMIT` characters gets a one-line summary instead."""
        return _model_repr(self)


def _own_repr(node: NeuralNetNode) -> bool:
    """Whether ``node`` writes its repr itself (a leaf, or a class that defines __repr__)."""
    return type(node).__repr__ is not NeuralNetNode.__repr__


def _model_repr(root: NeuralNetNode) -> str:
    try:
        order = list(reversed(topological_order(root)))  # children before parents
    except ValueError:  # left by a macro that contains itself (compile refuses it)
        return f"<{type(root).__name__} model whose nodes form a cycle>"
    # the root is written here even if its class has a __repr__ that calls this one
    own = {id(n): repr(n) for n in order if _own_repr(n) and n is not root}
    length: dict[int, int] = {}
    for node in order:
        if id(node) in own:
            length[id(node)] = len(own[id(node)])
        else:
            kids = node._children
            length[id(node)] = (len(type(node).__name__) + 4 + sum(length[id(c)] for c in kids)
                                + 2 * max(len(kids) - 1, 0))
    if length[id(root)] > REPR_LIMIT:
        return (f"<{type(root).__name__} model: {len(order):,} nodes, {depth(root):,} levels; "
                f"its full repr would be {length[id(root)]:,} characters>")
    text: dict[int, str] = dict(own)
    for node in order:
        if id(node) not in text:
            inner = ", ".join(text[id(c)] for c in node._children)
            text[id(node)] = f"{type(node).__name__}([{inner}])"
    return text[id(root)]


# -- leaves ----------------------------------------------------------------------------


class _Leaf(NeuralNetNode):
    """A node with a value of its own and no children."""

    __slots__ = ()

    def __init__(self, value: float, what: str) -> None:
        super().__init__(())
        self._value = as_finite(value, what)

    @property
    def value(self) -> float:
        """The leaf's number (always a finite float)."""
        return self._value

    @value.setter
    def value(self, new: float) -> None:
        new = as_finite(new, f"the value of {self._label()}")
        if new != self._value:
            self._value = new
            self.invalidate()

    def _label(self) -> str:
        return type(self).__name__

    def op(self, x: list[float]) -> float:
        return self._value

    def forward(self) -> float:
        self.forward_calls += 1
        return self._value

    def grad(self) -> list[float]:
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._value!r})"


_RESERVED_NAMES = frozenset({"relu", "sigmoid", "softmax", "exp", "log", "max", "min"})


class Input(_Leaf):
    """A leaf that holds an input of the model; `predict` sets its value.

    ``name`` labels it in formulas (`funcify`); `compile` names unnamed inputs
    ``x1, x2, ...`` in the order `predict` fills them.
    """

    __slots__ = ("name",)
    is_input = True

    def __init__(self, value: float = 0.0, name: Optional[str] = None) -> None:
        super().__init__(value, "the value of Input")
        if name is not None:
            if not isinstance(name, str) or not name.isidentifier():
                raise ValueError(f"an Input's name must be a Python-style identifier such as 'x' or 'temp_f', "
                                 f"got {show(name)}")
            if name in _RESERVED_NAMES:
                raise ValueError(f"{name!r} names a function in formulas; choose another name for the Input")
        self.name = name

    def _label(self) -> str:
        return f"Input {self.name}" if self.name is not None else "Input"

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        if self.name is None:
            raise ModelError("this Input has no name yet: compile the model first, or give it one, Input(name='x')")
        return self.name, ATOM

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name is not None else ""
        return f"Input({self._value!r}{name})"


class Parameter(_Leaf):
    """A leaf the model learns: after `backward` hands it ∂L/∂p it steps p ← p − lr · ∂L/∂p.

    ``Parameter(0.5)`` starts at 0.5. ``Parameter()`` draws its start uniformly from
    [-1, 1], from ``rng`` if given, else from this module's generator (seed 0 when the
    module is imported; `manual_seed` restarts it). ``learning_rate`` is a finite
    number >= 0, and can be changed at any time.
    """

    __slots__ = ("_learning_rate",)

    def __init__(self, value: Optional[float] = None, learning_rate: float = 0.01,
                 *, rng: Optional[random.Random] = None) -> None:
        if value is None:
            if rng is not None and not isinstance(rng, random.Random):
                raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
            value = (rng or _default_rng).uniform(-1.0, 1.0)
        super().__init__(value, "the value of Parameter")
        self.learning_rate = learning_rate

    @property
    def learning_rate(self) -> float:
        """The step size of this parameter's gradient descent."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, lr: float) -> None:
        rate = as_finite(lr, "learning_rate")
        if rate < 0:
            raise ValueError(f"learning_rate must be >= 0, got {show(lr)}")
        self._learning_rate = rate

    def on_backward(self, derivative: float) -> None:
        """Gradient descent: p ← p − lr · ∂L/∂p."""
        new = self._value - self._learning_rate * derivative
        if new - new:  # inf or nan
            raise OverflowError(
                f"a Parameter would become {new!r} (value {self._value!r}, derivative {derivative!r}, "
                f"learning rate {self._learning_rate!r}): the learning rate is probably too large")
        if new != self._value:
            self._value = new
            self.invalidate()

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        return repr(self._value), ATOM


# -- operations ------------------------------------------------------------------------


class Operation(NeuralNetNode):
    """A node that computes a number from its children's values."""

    __slots__ = ()
    arity = (1, None)


class Add(Operation):
    """c₁ + c₂ + … + cₙ;   ∂/∂cᵢ = 1."""

    __slots__ = ()

    def op(self, x: list[float]) -> float:
        return sum(x, 0.0)

    def describe(self, operands: Sequence[float]) -> str:
        return show_all(operands, sep=" + ")

    def grad(self) -> list[float]:
        return [1.0] * len(self._children)

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        if len(parts) == 1:  # a sum of one term is that term
            return parts[0]
        text = parts[0][0]
        for term, _ in parts[1:]:
            # a + (-u) reads a - u; a term starts with "-" only if its first number does
            text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
        return text, SUM


class Multiply(Operation):
    """c₁ · c₂ · … · cₙ;   ∂/∂cᵢ = the product of all the other children."""

    __slots__ = ()

    def op(self, x: list[float]) -> float:
        return math.prod(x, start=1.0)

    def check_value(self, value: Any, operands: list[float]) -> Any:
        # A product that overflowed on the way but has a factor 0 is exactly 0.
        if 0.0 in operands:
            negative = sum(math.copysign(1.0, v) < 0 for v in operands) % 2
            return -0.0 if negative else 0.0
        return super().check_value(value, operands)

    def describe(self, operands: Sequence[float]) -> str:
        return show_all(operands, sep=" * ")

    def grad(self) -> list[float]:
        children = self._children
        if len(children) == 2:
            return [children[1].forward(), children[0].forward()]
        values = [child.forward() for child in children]
        n = len(values)
        # products of everything left of i and right of i: no division, so zeros are fine
        left = [1.0] * n
        for i in range(1, n):
            left[i] = left[i - 1] * values[i - 1]
        right = 1.0
        out = [0.0] * n
        for i in range(n - 1, -1, -1):
            out[i] = left[i] * right
            right *= values[i]
        return out

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        if len(parts) == 1:  # a product of one factor is that factor
            return parts[0]
        factors = []
        for i, (text, level) in enumerate(parts):
            if level < PRODUCT or (i > 0 and text.startswith("-")):
                text = f"({text})"
            factors.append(text)
        return " * ".join(factors), PRODUCT


class ReLU(Operation):
    """max(0, c);   ∂/∂c = 1 if c > 0 else 0."""

    __slots__ = ()
    arity = (1, 1)

    def op(self, x: list[float]) -> float:
        return x[0] if x[0] > 0.0 else 0.0

    def grad(self) -> list[float]:
        return [1.0 if self._children[0].forward() > 0.0 else 0.0]

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        return f"relu({parts[0][0]})", ATOM


class Sigmoid(Operation):
    """σ(c) = 1 / (1 + e⁻ᶜ);   ∂/∂c = σ(c) · (1 − σ(c))."""

    __slots__ = ()
    arity = (1, 1)

    def op(self, x: list[float]) -> float:
        return sigmoid(x[0])

    def grad(self) -> list[float]:
        s = self.forward()
        return [s * (1.0 - s)]

    def to_formula(self, parts: list[tuple[str, int]]) -> tuple[str, int]:
        return f"sigmoid({parts[0][0]})", ATOM
