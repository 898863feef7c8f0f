"""A model as a formula, and a small reader that evaluates such formulas.

`funcify` writes a model the way you would on paper:

    Add([Parameter(0.1), Parameter(0.2)])                    0.1 + 0.2
    Add([Multiply([Parameter(0.5), Input(name="f")]),
         Parameter(-17.0)])                                  0.5 * f - 17.0
    Multiply([Add([Input(name="a"), Parameter(1.0)]),
              Input(name="b")])                              (a + 1.0) * b

Each node writes itself from its children's formulas (its ``to_formula`` method) and
says how tightly the result binds: a sum loosest, then a product, then a number, a
name or a function call. A parent puts parentheses around a child only where that
child binds more loosely than the parent needs, so ``a * (b + c)`` keeps its
parentheses and ``a + b * c`` needs none.

`evaluate_formula` reads such a formula and computes it for given input values, without
``eval``. It understands numbers, names, ``+ - *``, parentheses and the functions
``relu``, ``sigmoid``, ``max`` and ``softmax``, and reads with two stacks, one of
numbers and one of operations still waiting for their right-hand side (the
"shunting-yard" method), so a formula nested a thousand levels deep reads as easily as
a short one. The tests use it to check that a formula means what the model computes.

Both work on any depth of model. A node shared by several parents is written out at
each use, so a formula can grow much faster than the model; `funcify` refuses to write
one longer than `MAX_FORMULA_LENGTH` characters, and says why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from .checks import as_count, as_finite, not_finite, show
from .compiler import input_names
from .functions import sigmoid, softmax
from .graph import find_input_nodes, topological_order

__all__ = ["funcify", "evaluate_formula", "FormulaError", "SUM", "PRODUCT", "ATOM", "MAX_FORMULA_LENGTH"]

# How tightly a piece of a formula binds.
SUM, PRODUCT, ATOM = 1, 2, 3

#: The longest formula `funcify` writes (a formula this long is for no one to read).
MAX_FORMULA_LENGTH = 100_000


def funcify(root: Any, precision: Optional[int] = None) -> str:
    """The model rooted at ``root`` as a human-readable formula.

    Inputs appear by name (unnamed ones get the names `compile` would give them,
    ``x1, x2, ...``), parameters by value: ``repr(value)``, or ``precision`` significant
    digits (1 to 17; a float has no more). A node shared by two parents is written out
    in both places.
    """
    if precision is not None:
        precision = as_count(precision, "precision", minimum=1)
        if precision > 17:
            raise ValueError(f"precision must be at most 17 (a float has 17 significant digits), got {precision}")
    inputs = find_input_nodes(root)
    names = {id(node): name for node, name in zip(inputs, input_names(inputs))}
    done: dict[int, tuple[str, int]] = {}
    for node in reversed(topological_order(root)):  # children before parents
        if id(node) in names:
            done[id(node)] = (names[id(node)], ATOM)
            continue
        value = getattr(node, "value", None)
        if precision is not None and not node.children and isinstance(value, float):
            done[id(node)] = (format(value, f".{precision}g"), ATOM)  # a parameter, rounded
            continue
        text, _ = done[id(node)] = node.to_formula([done[id(child)] for child in node.children])
        if len(text) > MAX_FORMULA_LENGTH:
            raise ValueError(
                f"funcify: the formula would be longer than {MAX_FORMULA_LENGTH:,} characters. A node "
                "shared by several parents is written out at each use, so shared nodes make a "
                "formula grow fast; draw_tree() shows each node once.")
    return done[id(root)][0]


# -- reading formulas back -----------------------------------------------------------------


class FormulaError(ValueError):
    """A formula that `evaluate_formula` cannot read or compute."""


_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(.))")

Number = Union[float, list]
Token = tuple[str, str, int]  # (kind, text, position)


def _tokens(text: str) -> list[Token]:
    tokens = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        number, name, symbol = m.groups()
        start = m.start(m.lastindex)
        if number is not None:
            tokens.append(("number", number, start))
        elif name is not None:
            tokens.append(("name", name, start))
        else:
            symbol = {"·": "*", "×": "*", "−": "-"}.get(symbol, symbol)
            if symbol not in "+-*(),[]":
                raise FormulaError(f"unexpected character {symbol!r} at position {start}")
            tokens.append(("symbol", symbol, start))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


def _scalar(x: Number) -> float:
    if isinstance(x, list):
        raise FormulaError("softmax(...) gives a list of numbers; it can only be the whole formula")
    return x


def _checked(result: float, what: str, pos: int) -> float:
    if result - result != 0.0:
        raise FormulaError(f"{not_finite(what, result)} (at position {pos})")
    return result


def _apply(op: str, pos: int, values: list[Number]) -> None:
    """Pop the operands of ``op`` from ``values`` and push its result."""
    if op == "neg":
        values.append(-_scalar(values.pop()))
        return
    b, a = _scalar(values.pop()), _scalar(values.pop())
    result = a + b if op == "+" else a - b if op == "-" else a * b
    values.append(_checked(result, f"{a!r} {op} {b!r}", pos))


def _call(name: str, pos: int, args: list[float]) -> Number:
    if name in ("relu", "sigmoid"):
        if len(args) != 1:
            raise FormulaError(f"{name} takes one argument, got {len(args)} (position {pos})")
        return max(0.0, args[0]) if name == "relu" else sigmoid(args[0])
    if name == "max":
        return max(args)
    if name == "softmax":
        return softmax(args)
    raise FormulaError(f"unknown function {name!r} (position {pos})")


_BINDING = {"+": SUM, "-": SUM, "*": PRODUCT, "neg": ATOM}  # "neg": a minus in front of a term


@dataclass
class _Open:
    """An open bracket: ``(`` a group, ``call`` a function's arguments, ``[`` the list."""

    kind: str
    pos: int
    name: str = ""
    items: list[float] = field(default_factory=list)


def _read(text: str, values: Mapping[str, Any]) -> Number:
    """Evaluate ``text`` with two stacks (see the module notes).

    ``pending`` holds operations waiting for their right operand and the brackets still
    open. An operation is applied as soon as one that binds no tighter follows it, so
    ``a - b + c`` is ``(a - b) + c``, and ``a + b * c`` is ``a + (b * c)``; a closing
    bracket applies everything back to its opening one.
    """
    tokens = _tokens(text)
    numbers: list[Number] = []
    pending: list[Union[tuple[str, int], _Open]] = []

    def close_up() -> Optional[_Open]:
        """Apply the operations back to the innermost open bracket, and return it."""
        while pending and isinstance(pending[-1], tuple):
            op, pos = pending.pop()
            _apply(op, pos, numbers)
        return pending[-1] if pending else None

    def misplaced(kind: str, value: str, pos: int) -> FormulaError:
        bracket = next((p for p in reversed(pending) if isinstance(p, _Open)), None)
        if bracket is None:
            return FormulaError(f"unexpected {value!r} at position {pos}")
        found = "the end" if kind == "end" else repr(value)
        closer = "]" if bracket.kind == "[" else ")"
        return FormulaError(f"expected {closer!r} at position {pos}, found {found}")

    i = 0
    while True:
        # A number is expected: a literal, a name, a call, a group, or a minus in front.
        kind, value, pos = tokens[i]
        i += 1
        if kind == "number":
            number = float(value)
            if math.isinf(number):
                raise FormulaError(f"the number {value} at position {pos} is too large for a float")
            numbers.append(number)
        elif kind == "name" and tokens[i][1] == "(":
            pending.append(_Open("call", pos, value))
            i += 1
            continue
        elif kind == "name":
            if value not in values:
                raise FormulaError(f"no value given for {value!r} (position {pos})")
            numbers.append(as_finite(values[value], f"the value of {value!r}"))
        elif value == "-" or value == "(" or (value == "[" and i == 1):
            pending.append(("neg", pos) if value == "-" else _Open(value, pos))
            continue
        else:
            found = "the end" if kind == "end" else repr(value)
            raise FormulaError(f"expected a number, a name or '(' at position {pos}, found {found}")
        # Then an operator, a comma, a closing bracket or the end.
        while True:
            kind, value, pos = tokens[i]
            i += 1
            if kind == "symbol" and value in _BINDING:
                _scalar(numbers[-1])
                while (pending and isinstance(pending[-1], tuple)
                       and _BINDING[pending[-1][0]] >= _BINDING[value]):
                    op, at = pending.pop()
                    _apply(op, at, numbers)
                pending.append((value, pos))
                break
            if kind == "end":
                if close_up() is not None:
                    raise misplaced(kind, value, pos)
                return numbers[-1]
            if kind != "symbol" or value not in ",)]":
                raise misplaced(kind, value, pos)
            bracket = close_up()
            wanted = {",": ("call", "["), ")": ("(", "call"), "]": ("[",)}[value]
            if bracket is None or bracket.kind not in wanted:
                raise misplaced(kind, value, pos)
            item = numbers.pop()
            if value == ",":
                bracket.items.append(_scalar(item))
                break
            pending.pop()
            if bracket.kind == "(":
                numbers.append(item)
            elif bracket.kind == "call":
                numbers.append(_call(bracket.name, bracket.pos, [*bracket.items, _scalar(item)]))
            else:  # the list, which is the whole formula
                numbers.append([*bracket.items, _scalar(item)])
                if tokens[i][0] != "end":
                    raise FormulaError(f"unexpected {tokens[i][1]!r} at position {tokens[i][2]}")


def evaluate_formula(text: str, values: Optional[Mapping[str, float]] = None) -> Union[float, list[float]]:
    """The value of a formula such as ``'0.5 * f - 17.0'`` with ``values={'f': 32}``.

    Understands numbers, names (looked up in ``values``), ``+``, ``-`` (also in front of
    a term), ``*`` (also ``·`` or ``×``), parentheses, ``relu(a)``, ``sigmoid(a)``,
    ``max(a, b, ...)``, and, as the whole formula, ``[a, b, ...]`` and
    ``softmax(a, b, ...)``, which give lists. Every value and every intermediate result
    must be a finite number: a formula that overflows is a `FormulaError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"a formula is a str, got {type(text).__name__}")
    if values is None:
        values = {}
    elif not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict of names to numbers, got {type(values).__name__} {show(values)}")
    if not text.strip():
        raise FormulaError("the formula is empty")
    return _read(text, values)
