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
``eval``: it is a small recursive-descent parser for numbers, names, ``+ - *``,
parentheses and the functions ``relu``, ``sigmoid``, ``max`` and ``softmax``. The tests
use it to check that a formula means what the model computes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Optional, Union

from .graph import find_input_nodes, topological_order
from .nodes import ATOM, Input, NeuralNetNode, Parameter, sigmoid

__all__ = ["funcify", "evaluate_formula", "FormulaError"]


def funcify(root: NeuralNetNode, precision: Optional[int] = None) -> str:
    """The model rooted at ``root`` as a human-readable formula.

    Inputs appear by name (unnamed ones get the names `compile` would give them,
    ``x1, x2, ...``), parameters by value: ``repr(value)``, or ``precision`` significant
    digits. A node shared by two parents is written out in both places.
    """
    if precision is not None and (isinstance(precision, bool) or not isinstance(precision, int) or precision < 1):
        raise ValueError(f"precision must be a positive int or None, got {precision!r}")
    from .compiler import input_names

    inputs = find_input_nodes(root)
    names = {id(node): name for node, name in zip(inputs, input_names(inputs))}
    done: dict[int, tuple[str, int]] = {}
    for node in reversed(topological_order(root)):  # children before parents
        if isinstance(node, Input):
            done[id(node)] = (names[id(node)], ATOM)
        elif isinstance(node, Parameter) and precision is not None:
            done[id(node)] = (format(node.value, f".{precision}g"), ATOM)
        else:
            done[id(node)] = node.to_formula([done[id(child)] for child in node.children])
    return done[id(root)][0]


# -- reading formulas back -----------------------------------------------------------------


class FormulaError(ValueError):
    """A formula that `evaluate_formula` cannot read or compute."""


_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(.))")

Number = Union[float, list]


def _tokens(text: str) -> list[tuple[str, str, int]]:
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


class _Reader:
    """Recursive descent over: formula := '[' list ']' | sum;  sum := product (('+'|'-') product)*;
    product := signed ('*' signed)*;  signed := '-' signed | atom;
    atom := number | name | name '(' arguments ')' | '(' sum ')'."""

    def __init__(self, text: str, values: Mapping[str, float]) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.values = values

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self, symbol: Optional[str] = None) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        if symbol is not None and token[1] != symbol:
            found = "the end" if token[0] == "end" else repr(token[1])
            raise FormulaError(f"expected {symbol!r} at position {token[2]}, found {found}")
        self.i += 1
        return token

    def formula(self) -> Number:
        if self.peek()[1] == "[":
            self.take("[")
            items = [self.scalar(self.sum())]
            while self.peek()[1] == ",":
                self.take(",")
                items.append(self.scalar(self.sum()))
            self.take("]")
            result: Number = items
        else:
            result = self.sum()
        kind, value, pos = self.peek()
        if kind != "end":
            raise FormulaError(f"unexpected {value!r} at position {pos}")
        return result

    @staticmethod
    def scalar(x: Number) -> float:
        if isinstance(x, list):
            raise FormulaError("softmax(...) gives a list of numbers; it can only be the whole formula")
        return x

    def sum(self) -> Number:
        first = self.product()
        if self.peek()[1] not in ("+", "-"):
            return first
        total = self.scalar(first)
        while self.peek()[1] in ("+", "-"):
            sign = self.take()[1]
            term = self.scalar(self.product())
            total = total + term if sign == "+" else total - term
        return total

    def product(self) -> Number:
        first = self.signed()
        if self.peek()[1] != "*":
            return first
        result = self.scalar(first)
        while self.peek()[1] == "*":
            self.take("*")
            result *= self.scalar(self.signed())
        return result

    def signed(self) -> Number:
        if self.peek()[1] == "-":
            self.take("-")
            return -self.scalar(self.signed())
        return self.atom()

    def atom(self) -> Number:
        kind, value, pos = self.take()
        if kind == "number":
            return float(value)
        if kind == "name":
            if self.peek()[1] == "(":
                return self.call(value, pos)
            if value not in self.values:
                raise FormulaError(f"no value given for {value!r} (position {pos})")
            return float(self.values[value])
        if value == "(":
            inner = self.sum()
            self.take(")")
            return inner
        found = "the end" if kind == "end" else repr(value)
        raise FormulaError(f"expected a number, a name or '(' at position {pos}, found {found}")

    def call(self, name: str, pos: int) -> Number:
        self.take("(")
        args = [self.scalar(self.sum())]
        while self.peek()[1] == ",":
            self.take(",")
            args.append(self.scalar(self.sum()))
        self.take(")")
        if name in ("relu", "sigmoid"):
            if len(args) != 1:
                raise FormulaError(f"{name} takes one argument, got {len(args)} (position {pos})")
            return max(0.0, args[0]) if name == "relu" else sigmoid(args[0])
        if name == "max":
            return max(args)
        if name == "softmax":
            top = max(args)
            exps = [math.exp(a - top) for a in args]
            return [e / sum(exps) for e in exps]
        raise FormulaError(f"unknown function {name!r} (position {pos})")


def evaluate_formula(text: str, values: Mapping[str, float] = {}) -> Union[float, list[float]]:
    """The value of a formula such as ``'0.5 * f - 17.0'`` with ``values={'f': 32}``.

    Understands numbers, names (looked up in ``values``), ``+``, ``-`` (also in front of
    a term), ``*`` (also ``·`` or ``×``), parentheses, ``relu(a)``, ``sigmoid(a)``,
    ``max(a, b, ...)``, and, as the whole formula, ``[a, b, ...]`` and
    ``softmax(a, b, ...)``, which give lists.
    """
    if not isinstance(text, str):
        raise TypeError(f"a formula is a str, got {type(text).__name__}")
    if not text.strip():
        raise FormulaError("the formula is empty")
    return _Reader(text, values).formula()
