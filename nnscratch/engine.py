"""The autograd engine: `Value`, a scalar that remembers how it was computed.

Every operation on a `Value` returns a new `Value` that records

* ``data``: the result of the operation,
* ``children``: the operands it was computed from (at most two, in order),
* the *local derivative* of the result with respect to each operand, worked out
  right next to the result, while both are at hand.

Calling ``backward()`` on the final result applies the chain rule once per node,
from the output back to the inputs:

    child.grad += (d node / d child) * node.grad

How this differs from the engine built in chapter 04, and why (chapter 12 measures it):

* No closures. A node stores its children and local derivatives as plain fields, so
  nothing points back at the node: reference counting frees a graph the moment it
  is no longer used, and Python's cyclic garbage collector has no cycles to hunt.
* ``__slots__`` instead of a per-instance ``__dict__``.
* Every node gets a creation number. A node is always created after its children,
  so sorting by creation number, newest first, is a topological order: no recursion,
  so a graph a million nodes deep is fine.

Gradients *accumulate*, as in PyTorch: ``backward()`` adds into the ``grad`` of every
leaf (a `Value` made directly, not by an operation), so reset them between training
steps (``Module.zero_grad()``). The ``grad`` of an intermediate node holds the result
of the most recent ``backward()`` through it.
"""

from __future__ import annotations

import math
from itertools import count
from numbers import Real
from operator import attrgetter
from typing import Union

Number = Union[int, float]

_creation_numbers = count()
_by_creation_number = attrgetter("_number")


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
        raise ValueError(f"{what}: {x!r} is not a finite number")
    return f


def _show(x: object) -> str:
    """repr(x), shortened if long (a 400-digit int should not fill the screen)."""
    r = repr(x)
    return r if len(r) <= 40 else f"{r[:20]}...{r[-10:]} ({len(r)} characters)"


class Value:
    """A scalar in a computation graph, with the derivative of a result with respect to it.

    ``Value(2.0, label="a")`` makes a leaf. Arithmetic on values (``+ - * / **``,
    ``exp``, ``log``, ``tanh``, ``sigmoid``, ``relu``) builds the graph; numbers mix in
    freely (``2 * a + 1``).
    """

    __slots__ = ("data", "grad", "label", "op", "_a", "_b", "_da", "_db", "_number")

    # Tell NumPy to leave `Value` alone, so `np.float64(2) * v` is computed by `Value`.
    __array_ufunc__ = None

    def __init__(self, data: Number, label: str = "") -> None:
        self.data: float = _as_float(data, "Value()")
        self.grad: float = 0.0
        self.label: str = label
        self.op: str = ""
        self._a: Value | None = None
        self._b: Value | None = None
        self._da = 0.0
        self._db = 0.0
        self._number = next(_creation_numbers)

    @property
    def children(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in order (empty for a leaf)."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(child) for each child, in the order of ``children``."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        return (self._da, self._db)

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
            local = 0.0 if n > 1.0 else math.inf
        else:
            try:
                local = n * a ** (n - 1.0)
            except OverflowError:
                raise OverflowError(
                    f"{a!r} ** {n!r}: its derivative {_short(n)} · {a!r}^{_short(n - 1.0)} "
                    "is too large for a float"
                ) from None
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

        Sets ``self.grad = 1``, then visits the intermediate nodes newest first and
        passes each one's gradient to its children by the chain rule. Leaves
        accumulate (``+=``) across calls; intermediate nodes are reset first.
        """
        if self._a is None:  # a leaf: d(self)/d(self) = 1
            self.grad += 1.0
            return
        order = backward_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in order:
            g = node.grad
            node._a.grad += node._da * g
            b = node._b
            if b is not None:
                b.grad += node._db * g


_new_value = object.__new__


def _node(data: float, op: str, a: Value, da: float, b: Value | None = None, db: float = 0.0) -> Value:
    """Make the value that ``op`` computed from ``a`` (and ``b``), with local derivatives."""
    v = _new_value(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.op = op
    v._a = a
    v._da = da
    v._b = b
    v._db = db
    v._number = next(_creation_numbers)
    return v


def _operand(x: object) -> Value:
    """``x`` as a Value, or NotImplemented for a type that is not a real number."""
    if isinstance(x, Value):
        return x
    t = type(x)
    if t is not float and t is not int and (isinstance(x, bool) or not isinstance(x, Real)):
        return NotImplemented  # Python then raises "unsupported operand type(s)"
    return Value(x)  # type: ignore[arg-type]


def backward_order(root: Value) -> list[Value]:
    """The operation nodes (non-leaves) that ``root`` depends on, ``root`` first, in the
    order ``backward()`` applies the chain rule at them: every node comes before each of
    its children, so its gradient is complete when it is passed on."""
    if root._a is None:
        return []
    return _newest_first(root)


def _newest_first(root: Value) -> list[Value]:
    """The intermediate (non-leaf) nodes that ``root`` depends on, ``root`` included,
    newest first: a topological order, since children are always older than parents."""
    seen = {root}
    stack = [root]
    add, push, pop = seen.add, stack.append, stack.pop
    while stack:
        node = pop()
        child = node._a
        if child._a is not None and child not in seen:
            add(child)
            push(child)
        child = node._b
        if child is not None and child._a is not None and child not in seen:
            add(child)
            push(child)
    return sorted(seen, key=_by_creation_number, reverse=True)


def _short(x: float) -> str:
    """A number as it reads best in an op name: 2.0 -> '2', 0.5 -> '0.5'."""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
