"""The autograd engine: `Value`, a scalar that remembers how it was computed.

Every operation on a `Value` returns a new `Value` that records

* ``data``: the result of the operation,
* ``children``: the operands it was computed from, in order (at most two),
* ``local_grads``: the *local derivative* of the result with respect to each
  operand, worked out right next to the result, while both are at hand.

Calling ``backward()`` on the final result applies the chain rule once per node,
from the output back to the inputs:

    child.grad += (d node / d child) * node.grad

How this differs from the engine built in chapter 04, and why (chapter 12 measures it):

* No closures. A node stores its children and local derivatives as plain fields, so
  nothing points back at the node: reference counting frees a graph the moment it
  is no longer used, and Python's cyclic garbage collector has no cycles to hunt.
* ``__slots__`` instead of a per-instance ``__dict__``.
* The order of the chain rule comes from the graph alone: a depth-first search from
  the output, with an explicit stack instead of recursion (a graph a million nodes
  deep is fine), lists every node after all the nodes that use it. It does not depend
  on when or where a node was made, so graphs that were pickled, copied or built in
  several processes are differentiated correctly, in the same order every time.

`weighted_sum` makes a *fused* node: a neuron's whole pre-activation b + Σ wᵢxᵢ as one
node with 2n + 1 children and their 2n + 1 local derivatives, where the operators
would make 2n nodes of two children each. ``backward()`` treats it like any other
node: its gradient times each local derivative, into each child.

No operation stores a number that is infinite or nan: one whose result or local
derivative does not fit in a float raises an error that names the operation and its
operands, and so does a ``backward()`` whose gradients would overflow.

Gradients *accumulate*, as in PyTorch: ``backward()`` adds into the ``grad`` of every
leaf (a `Value` made directly, not by an operation), so reset them between training
steps (``Module.zero_grad()``). The ``grad`` of an intermediate node holds the result
of the most recent ``backward()`` through it.
"""

from __future__ import annotations

import copyreg
import math
import threading
from collections.abc import Sequence
from itertools import filterfalse
from numbers import Real
from operator import mul
from typing import Union

Number = Union[int, float]

#: the op of a fused node made by `weighted_sum`
WEIGHTED_SUM = "Σwx+b"


def _as_float(x: object, what: str) -> float:
    """Return ``x`` as a finite float, or raise an error that names ``what`` and ``x``."""
    t = type(x)
    if t is not float and t is not int:
        if isinstance(x, bool) or not isinstance(x, Real):
            raise TypeError(
                f"{what} needs a real number (int or float), got {t.__name__} {_show(x)}"
            )
    try:
        f = float(x)  # type: ignore[arg-type]
    except OverflowError:
        raise OverflowError(f"{what}: {_show(x)} is too large for a float") from None
    if f - f != 0.0:  # inf - inf and nan - nan are nan; every finite f gives 0
        raise ValueError(f"{what}: {_show(x)} is not a finite number")
    return f


def _finite_real(x: object, what: str) -> float:
    """An argument ``what`` as a finite float, from any real number type; ValueError
    naming it for anything else (another type, nan, an infinity, an int too large)."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise ValueError(f"{what} must be a real number, got {type(x).__name__} {_show(x)}")
    try:
        f = float(x)  # type: ignore[arg-type]
    except OverflowError:
        f = math.inf
    if f - f != 0.0:
        raise ValueError(f"{what} must be a finite number, got {_show(x)}")
    return f


def _show(x: object) -> str:
    """repr(x), shortened if long (a 400-digit int should not fill the screen)."""
    try:
        r = repr(x)
    except Exception:  # a repr that fails should not hide the real error
        return f"<{type(x).__name__} object>"
    return r if len(r) <= 40 else f"{r[:20]}...{r[-10:]} ({len(r)} characters)"


class Value:
    """A scalar in a computation graph, with the derivative of a result with respect to it.

    ``Value(2.0, label="a")`` makes a leaf. Arithmetic on values (``+ - * / **``,
    ``exp``, ``log``, ``tanh``, ``sigmoid``, ``relu``) builds the graph; numbers mix in
    freely (``2 * a + 1``).
    """

    __slots__ = ("data", "grad", "label", "op", "_a", "_b", "_da", "_db")

    # Tell NumPy to leave `Value` alone, so `np.float64(2) * v` is computed by `Value`.
    __array_ufunc__ = None

    def __init__(self, data: Number, label: str = "") -> None:
        if label.__class__ is not str and not isinstance(label, str):
            raise TypeError(f"Value(): the label must be a str, got {type(label).__name__} {_show(label)}")
        self.data: float = _as_float(data, "Value()")
        self.grad: float = 0.0
        self.label: str = label
        self.op: str = ""
        self._a: Value | tuple[Value, ...] | None = None
        self._b: Value | None = None
        self._da: float | tuple[float, ...] = 0.0
        self._db = 0.0

    @property
    def children(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in order (empty for a leaf)."""
        a = self._a
        if a is None:
            return ()
        if a.__class__ is tuple:  # a fused node
            return a  # type: ignore[return-value]
        if self._b is None:
            return (a,)  # type: ignore[return-value]
        return (a, self._b)  # type: ignore[return-value]

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(child) for each child, in the order of ``children``."""
        a = self._a
        if a is None:
            return ()
        if a.__class__ is tuple:
            return self._da  # type: ignore[return-value]
        if self._b is None:
            return (self._da,)  # type: ignore[return-value]
        return (self._da, self._db)  # type: ignore[return-value]

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # -- arithmetic ----------------------------------------------------------------
    # Each operation: the result, then d(result)/d(operand) for each operand.

    def __add__(self, other: Value | Number) -> Value:
        """a + b;  d/da = 1,  d/db = 1."""
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(self.data + other.data, "+", self, 1.0, other, 1.0)

    def __mul__(self, other: Value | Number) -> Value:
        """a * b;  d/da = b,  d/db = a."""
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(self.data * other.data, "*", self, other.data, other, self.data)

    def __sub__(self, other: Value | Number) -> Value:
        """a - b;  d/da = 1,  d/db = -1."""
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(self.data - other.data, "-", self, 1.0, other, -1.0)

    def __truediv__(self, other: Value | Number) -> Value:
        """a / b;  d/da = 1/b,  d/db = -a/b²."""
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        a, b = self.data, other.data
        if b == 0.0:
            raise ZeroDivisionError(f"division by zero: {a!r} / {b!r}")
        q = a / b
        # -a/b² as -(a/b)/b: b² alone can overflow or underflow when -a/b² is fine.
        return _node(q, "/", self, 1.0 / b, other, -q / b)

    def __neg__(self) -> Value:
        """-a;  d/da = -1."""
        return _node(-self.data, "neg", self, -1.0)

    def __pow__(self, exponent: Number) -> Value:
        """a ** n for a number n;  d/da = n · a^(n-1)."""
        if isinstance(exponent, Value):
            raise TypeError(
                "Value ** Value is not supported: the exponent must be a number. "
                "For a Value exponent y, write (y * x.log()).exp()."
            )
        n = _as_float(exponent, "the exponent of **")
        a = self.data
        if a == 0.0 and n < 0:
            raise ZeroDivisionError(f"{a!r} ** {n!r}: zero cannot be raised to a negative power")
        if a < 0.0 and not n.is_integer():
            raise ValueError(
                f"({a!r}) ** {n!r}: a negative number to a fractional power is not a real number"
            )
        try:
            result = a**n
        except OverflowError:
            raise OverflowError(f"{a!r} ** {n!r} is too large for a float") from None
        if n == 0.0 or n == 1.0:
            local = n
        elif a == 0.0:
            if n < 1.0:
                raise ZeroDivisionError(
                    f"{a!r} ** {n!r}: its derivative {_short(n)} · {a!r}^{_short(n - 1.0)} "
                    "is infinite at 0"
                )
            local = 0.0
        else:
            try:
                local = n * a ** (n - 1.0)
            except OverflowError:
                local = math.inf  # reported by _node, with the operation
        return _node(result, f"**{_short(n)}", self, local)

    def __rpow__(self, base: Number) -> Value:
        """c ** a for a number c > 0;  d/da = c^a · ln c."""
        c = _as_float(base, "the base of **")
        if c <= 0.0:
            raise ValueError(
                f"{c!r} ** Value needs a positive base: "
                "the derivative c^a · ln c exists only for c > 0"
            )
        try:
            result = c**self.data
        except OverflowError:
            raise OverflowError(f"{c!r} ** {self.data!r} is too large for a float") from None
        return _node(result, f"{_short(c)}**", self, result * math.log(c))

    # The reflected forms keep the operands in the order written: in ``2 * a`` the
    # children are (2, a).

    def __radd__(self, other: Number) -> Value:  # other + self
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return other + self

    def __rmul__(self, other: Number) -> Value:  # other * self
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return other * self

    def __rsub__(self, other: Number) -> Value:  # other - self
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return other - self

    def __rtruediv__(self, other: Number) -> Value:  # other / self
        if other.__class__ is not Value:
            other = _operand(other)
            if other is NotImplemented:
                return NotImplemented
        return other / self

    # -- functions -----------------------------------------------------------------

    def exp(self) -> Value:
        """e^a;  d/da = e^a."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp({self.data!r}) is too large for a float (largest is exp(709.78...))"
            ) from None
        return _node(e, "exp", self, e)

    def log(self) -> Value:
        """ln a for a > 0;  d/da = 1/a."""
        a = self.data
        if a <= 0.0:
            raise ValueError(f"log({a!r}): log needs a positive number")
        return _node(math.log(a), "log", self, 1.0 / a)

    def tanh(self) -> Value:
        """tanh a;  d/da = 1 - tanh²a.  (math.tanh stays exact for large |a|.)"""
        t = math.tanh(self.data)
        return _node(t, "tanh", self, 1.0 - t * t)

    def sigmoid(self) -> Value:
        """σ(a) = 1 / (1 + e^-a);  d/da = σ(a) · (1 - σ(a)).

        Computed from e^-|a|, which never overflows.
        """
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _node(s, "sigmoid", self, s * (1.0 - s))

    def relu(self) -> Value:
        """max(0, a);  d/da = 1 if a > 0 else 0."""
        a = self.data
        if a > 0.0:
            return _node(a, "relu", self, 1.0)
        return _node(0.0, "relu", self, 0.0)

    # -- backpropagation -----------------------------------------------------------

    def backward(self) -> None:
        """Compute d(self)/d(v) for every value v that self depends on, into ``v.grad``.

        Sets ``self.grad = 1``, then visits the operation nodes in `backward_order`
        and passes each one's gradient to its children by the chain rule. Leaves
        accumulate (``+=``) across calls; intermediate nodes are reset first.

        If a gradient would overflow, nothing is changed (leaves keep the gradients
        they had, intermediate nodes are left at 0) and OverflowError says where.
        """
        if self._a is None:  # a leaf: d(self)/d(self) = 1
            self.grad += 1.0
            return
        order, leaves = _walk(self)
        before = [leaf.grad for leaf in leaves]
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in order:
            g = node.grad
            a, b = node._a, node._b
            if b is not None:
                a.grad += node._da * g
                b.grad += node._db * g
            elif a.__class__ is tuple:  # a fused node
                for child, local in zip(a, node._da):
                    child.grad += local * g
            else:
                a.grad += node._da * g
        # A gradient that overflowed makes every gradient below it inf or nan, down to
        # the leaves: checking the leaves checks them all.
        for leaf in leaves:
            g = leaf.grad
            if g - g:
                _report_overflow(self, order, leaves, before)

    # -- copying and pickling --------------------------------------------------------
    # Pickle and copy.deepcopy recurse into a value's children, so a graph a few
    # hundred nodes deep would exceed Python's recursion limit. A node that starts the
    # copying therefore lists its whole graph first, children before parents: each node
    # is then copied after its children and never has to recurse into them.

    def __getstate__(self) -> tuple:
        return (self.data, self.grad, self.label, self.op, self._a, self._b, self._da, self._db)

    def __setstate__(self, state: tuple) -> None:
        self.data, self.grad, self.label, self.op, self._a, self._b, self._da, self._db = state

    def __reduce_ex__(self, protocol: object) -> tuple:
        state = self.__getstate__()
        pending = _pending()
        if self._a is None or id(self) in pending:
            pending.discard(id(self))
            return (copyreg.__newobj__, (Value,), state)
        below = _walk(self)[0][:0:-1]  # every operation node under self, children first
        pending.clear()  # left over from an earlier copy that did not finish
        pending.update(map(id, below))
        return (_rebuilt_after, (below,), state)

    def __copy__(self) -> Value:
        """A new node with the same data, gradient and children."""
        v = _new_value(Value)
        v.__setstate__(self.__getstate__())
        return v


_new_value = object.__new__


def _node(data: float, op: str, a: Value, da: float, b: Value | None = None, db: float = 0.0) -> Value:
    """Make the value that ``op`` computed from ``a`` (and ``b``), with local derivatives."""
    if (data + da + db) * 0.0:  # nan, which is true, if any of them is inf or nan
        _refuse_non_finite(data, op, a, da, b, db)
    v = _new_value(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.op = op
    v._a = a
    v._da = da
    v._b = b
    v._db = db
    return v


def _operand(x: object) -> Value:
    """``x`` as a Value, or NotImplemented for a type that is not a real number."""
    if isinstance(x, Value):
        return x
    t = type(x)
    if t is not float and t is not int and (isinstance(x, bool) or not isinstance(x, Real)):
        return NotImplemented  # Python then raises "unsupported operand type(s)"
    return Value(x)  # type: ignore[arg-type]


def weighted_sum(weights: Sequence[Value], inputs: Sequence[Value | Number], bias: Value) -> Value:
    """b + Σ wᵢxᵢ as a single node;  d/dwᵢ = xᵢ,  d/dxᵢ = wᵢ,  d/db = 1.

    The children are w₁ ... wₙ, then the inputs x₁ ... xₙ, then b, with the local
    derivatives in the same order; an input that is a plain number is not a child
    (nothing flows back to it). The sum is taken in the order b + w₁x₁ + w₂x₂ + ...,
    as the operators would, so the result is the same float.
    """
    n = len(weights)
    if len(inputs) != n:
        raise ValueError(f"weighted_sum: {n} weights but {len(inputs)} inputs")
    for i, w in enumerate(weights):
        if not isinstance(w, Value):
            raise TypeError(f"weighted_sum: weight {i} is a {type(w).__name__}, not a Value")
    if not isinstance(bias, Value):
        raise TypeError(f"weighted_sum: the bias is a {type(bias).__name__}, not a Value")
    return _weighted_sum(weights, bias, *_inputs(inputs))


_Inputs = tuple[list[float], tuple[Value, ...], Union[list[int], None]]


def _inputs(inputs: Sequence[Value | Number]) -> _Inputs:
    """What `_weighted_sum` needs to know about a neuron's inputs, worked out once for
    all the neurons of a layer: their numbers, the inputs that are Values (children
    of the sum), and the positions of those (None when every input is a Value)."""
    if all(x.__class__ is Value for x in inputs):
        return [x.data for x in inputs], tuple(inputs), None  # type: ignore[union-attr]
    numbers = [x.data if isinstance(x, Value) else _as_float(x, f"input {i}") for i, x in enumerate(inputs)]
    positions = [i for i, x in enumerate(inputs) if isinstance(x, Value)]
    return numbers, tuple(inputs[i] for i in positions), positions  # type: ignore[misc]


def _weighted_sum(
    weights: Sequence[Value], bias: Value, xd: list[float], xs: tuple[Value, ...], positions: list[int] | None
) -> Value:
    """`weighted_sum`, given the inputs as `_inputs` describes them."""
    wd = [w.data for w in weights]
    z = bias.data
    for p in map(mul, wd, xd):  # in order, as b + w₁x₁ + w₂x₂ + ... would be
        z += p
    if z - z:
        raise OverflowError(f"the weighted sum b + Σ wᵢxᵢ of {len(wd)} inputs is too large for a float")
    v = _new_value(Value)
    v.data = z
    v.grad = 0.0
    v.label = ""
    v.op = WEIGHTED_SUM
    v._a = (*weights, *xs, bias)
    v._da = (*xd, *wd, 1.0) if positions is None else (*xd, *[wd[i] for i in positions], 1.0)
    v._b = None
    v._db = 0.0
    return v


def backward_order(root: Value) -> list[Value]:
    """The operation nodes (non-leaves) that ``root`` depends on, ``root`` first, in the
    order ``backward()`` applies the chain rule at them: every node comes before each of
    its children, so its gradient is complete when it is passed on."""
    if root._a is None:
        return []
    return _walk(root)[0]


def _walk(root: Value) -> tuple[list[Value], list[Value]]:
    """(operation nodes, leaves) under ``root``: the operation nodes in `backward_order`,
    the leaves each once.

    A depth-first search: a node is *finished* once every node below it is, and the
    order is finish order reversed, so each node comes before its children. The stack
    holds nodes still to visit; a node being visited is pushed back with a ``None``
    above it, so that it is finished when the ``None`` is popped, after its children.
    """
    order: list[Value] = []
    leaves: list[Value] = []
    visited: set[Value] = set()
    stack: list[Value | None] = [root]
    push, pop, finish, visit = stack.append, stack.pop, order.append, visited.add
    while stack:
        node = pop()
        if node is None:
            finish(pop())
            continue
        if node in visited:
            continue
        visit(node)
        a = node._a
        if a is None:
            leaves.append(node)
            continue
        push(node)
        push(None)
        b = node._b
        if b is not None:
            if b not in visited:
                push(b)
        elif a.__class__ is tuple:  # a fused node: visit its children first to last
            stack.extend(filterfalse(visited.__contains__, reversed(a)))
            continue
        if a not in visited:
            push(a)
    order.reverse()
    return order, leaves


# -- errors ------------------------------------------------------------------------------


def _expression(op: str, a: Value, b: Value | None) -> str:
    """The operation as it would be written: '1e+200 * 3.0', 'log(5e-324)', '2.0 ** 3'."""
    x = _show(a.data)
    if b is not None:
        return f"{x} {op} {_show(b.data)}"
    if op.startswith("**"):
        return f"{x} ** {op[2:]}"
    if op.endswith("**"):
        return f"{op[:-2]} ** {x}"
    if op == "neg":
        return f"-({x})"
    return f"{op}({x})"


def _refuse_non_finite(data: float, op: str, a: Value, da: float, b: Value | None, db: float) -> None:
    """Raise OverflowError naming the operation if its result or a local derivative is
    inf or nan; return if all are finite (their sum alone overflowed)."""
    expression = _expression(op, a, b)
    if data - data:
        raise OverflowError(f"{expression} is too large for a float")
    if da - da:
        which = "its derivative" if b is None else "its derivative with respect to the first operand"
    elif db - db:
        which = "its derivative with respect to the second operand"
    else:
        return
    raise OverflowError(f"{expression}: {which} is too large for a float")


def _describe(v: Value) -> str:
    name = f"{v.label!r}, " if v.label else ""
    if v._a is None:
        return f"the leaf {name}data={_show(v.data)}"
    return f"the {v.op!r} node {name}data={_show(v.data)}"


def _report_overflow(root: Value, order: list[Value], leaves: list[Value], before: list[float]) -> None:
    """Undo a backward() that overflowed, find the addition that overflowed by replaying
    it one addition at a time, undo that too, and raise OverflowError saying where."""

    def undo() -> None:
        for leaf, g in zip(leaves, before):
            leaf.grad = g
        for node in order:
            node.grad = 0.0

    undo()
    root.grad = 1.0
    message = _first_overflow(order)
    undo()
    raise OverflowError(message)


def _first_overflow(order: list[Value]) -> str:
    """Apply the chain rule along ``order`` until an addition overflows; describe it."""
    for node in order:
        g = node.grad
        for child, local in zip(node.children, node.local_grads):
            total = child.grad + local * g
            if total - total:
                return (
                    f"backward(): the gradient of {_describe(child)} is too large for a float: "
                    f"the chain rule at {_describe(node)} adds its local derivative {_show(local)} "
                    f"× its gradient {_show(g)} to {_show(child.grad)}"
                )
            child.grad = total
    return "backward(): a gradient is too large for a float"


# -- copying and pickling ------------------------------------------------------------------

_copying = threading.local()


def _pending() -> set[int]:
    """ids of the nodes that a copy now under way has listed, each to be copied without
    listing its own graph again (one set per thread)."""
    try:
        return _copying.pending
    except AttributeError:
        _copying.pending = set()
        return _copying.pending


def _rebuilt_after(below: list[Value]) -> Value:
    """A new, empty Value. ``below`` is passed only so that pickle and copy rebuild the
    graph under the node first, children before parents."""
    return _new_value(Value)


def _short(x: float) -> str:
    """A number as it reads best in an op name: 2.0 -> '2', 0.5 -> '0.5'."""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
