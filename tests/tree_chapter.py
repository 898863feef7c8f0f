"""Chapter 08's tree framework as the chapter builds it: the first design, with a
recursive backward pass, for the tests of the tools that must work on the chapter's
own classes (the tree player, the exercises' checkers).

`chapter_08()` makes fresh classes on every call, so that a test that changes one
(as the chapter does, method by method) leaves the others alone.
"""

from __future__ import annotations

import math
import random
from types import SimpleNamespace


def chapter_08(seed: int = 0, *, hand_on_local: bool = False) -> SimpleNamespace:
    """The classes of chapter 08, after its section on backward. ``hand_on_local=True``
    gives a buggy backward that hands each child its local derivative alone,
    forgetting to multiply by the derivative from the parent."""
    rng = random.Random(seed)

    class NeuralNetNode:
        def __init__(self, children=()):
            self.children = list(children)

        def op(self, x):
            raise NotImplementedError

        def forward(self):
            return self.op([child.forward() for child in self.children])

        def grad(self):
            raise NotImplementedError

        def backward(self, derivative_from_parent):
            self.on_backward(derivative_from_parent)
            for child, local in zip(self.children, self.grad()):
                child.backward(local if hand_on_local else derivative_from_parent * local)

        def on_backward(self, derivative_from_parent):
            pass

        def __repr__(self):
            return f"{type(self).__name__}({self.children})"

    class Input(NeuralNetNode):
        def __init__(self, value=0.0):
            super().__init__()
            self.value = value

        def op(self, x):
            return self.value

        def grad(self):
            return []

    class Parameter(NeuralNetNode):
        def __init__(self, value=None, learning_rate=0.01):
            super().__init__()
            self.value = rng.uniform(-1.0, 1.0) if value is None else value
            self.learning_rate = learning_rate

        def op(self, x):
            return self.value

        def grad(self):
            return []

        def on_backward(self, derivative_from_parent):
            self.derivative = derivative_from_parent
            self.value -= self.learning_rate * derivative_from_parent

    class Operation(NeuralNetNode):
        pass

    class Add(Operation):
        def op(self, x):
            return sum(x)

        def grad(self):
            return [1.0] * len(self.children)

    class Multiply(Operation):
        def op(self, x):
            return math.prod(x)

        def grad(self):
            grads = []
            for i in range(len(self.children)):
                others = 1.0
                for j, child in enumerate(self.children):
                    if j != i:
                        others *= child.forward()
                grads.append(others)
            return grads

    class ReLU(Operation):
        def op(self, x):
            return max(0.0, x[0])

        def grad(self):
            return [1.0 if self.children[0].forward() > 0 else 0.0]

    class Sigmoid(Operation):
        def op(self, x):
            u = x[0]
            if u >= 0:
                return 1.0 / (1.0 + math.exp(-u))
            e = math.exp(u)
            return e / (1.0 + e)

        def grad(self):
            s = self.forward()
            return [s * (1 - s)]

    return SimpleNamespace(NeuralNetNode=NeuralNetNode, Input=Input, Parameter=Parameter,
                           Operation=Operation, Add=Add, Multiply=Multiply, ReLU=ReLU,
                           Sigmoid=Sigmoid, rng=rng)


def two_layer_net(ns: SimpleNamespace, learning_rate: float = 0.1) -> tuple:
    """The chapter's w2·max(0, w1·x + b1) + b2 at x = 2, w1 = 0.5, b1 = −0.25,
    w2 = 1.5, b2 = 0.1; returns the root and a dict of its named nodes."""
    x = ns.Input(2.0)
    w1, b1 = ns.Parameter(0.5, learning_rate), ns.Parameter(-0.25, learning_rate)
    w2, b2 = ns.Parameter(1.5, learning_rate), ns.Parameter(0.1, learning_rate)
    hidden = ns.ReLU([ns.Add([ns.Multiply([w1, x]), b1])])
    net = ns.Add([ns.Multiply([w2, hidden]), b2])
    return net, dict(x=x, w1=w1, b1=b1, w2=w2, b2=b2, h=hidden)
