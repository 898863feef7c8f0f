"""Helpers for the tree-framework tests (the same model on the `Value` engine, central
differences), and tests of the helpers themselves."""

from __future__ import annotations

import math

from nnscratch import Value
from nnscratch.tree import Add, Input, Multiply, NeuralNetNode, Output, Parameter, ReLU, Sigmoid, Softmax


def as_values(root: NeuralNetNode) -> tuple[object, dict[int, Value]]:
    """Rebuild the model rooted at ``root`` with `Value`s: one `Value` per distinct leaf
    (so a shared leaf is one `Value`, used twice). Returns the output (a `Value`, or a
    list of them for an `Output`) and the leaf Values by ``id`` of the leaf."""
    leaves: dict[int, Value] = {}
    done: dict[int, object] = {}

    def build(node: NeuralNetNode):
        if id(node) in done:
            return done[id(node)]
        if isinstance(node, (Input, Parameter)):
            out = leaves[id(node)] = Value(node.value)
        else:
            kids = [build(c) for c in node.children]
            if isinstance(node, Add):
                out = kids[0]
                for k in kids[1:]:
                    out = out + k
            elif isinstance(node, Multiply):
                out = kids[0]
                for k in kids[1:]:
                    out = out * k
            elif isinstance(node, ReLU):
                out = kids[0].relu()
            elif isinstance(node, Sigmoid):
                out = kids[0].sigmoid()
            elif isinstance(node, Softmax):
                top = max(k.data for k in kids)
                exps = [(k - top).exp() for k in kids]
                total = exps[0]
                for e in exps[1:]:
                    total = total + e
                out = [e / total for e in exps]
            elif isinstance(node, Output):
                out = kids
            else:  # pragma: no cover
                raise TypeError(type(node).__name__)
        done[id(node)] = out
        return out

    return build(root), leaves


def central_difference(model: NeuralNetNode, leaf, loss, h: float = 1e-6) -> float:
    """∂ loss(model.forward()) / ∂ leaf.value by (f(v + h) − f(v − h)) / 2h."""
    v = leaf.value
    leaf.value = v + h
    up = loss(model.forward())
    leaf.value = v - h
    down = loss(model.forward())
    leaf.value = v
    return (up - down) / (2 * h)


def close(a: float, b: float, rel: float = 1e-6, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def random_model(data, shared: bool = True, max_ops: int = 7) -> NeuralNetNode:
    """A random model drawn with Hypothesis: a few named inputs and parameters, then
    operations whose children are picked from the nodes made so far (so with
    ``shared=True`` a node can have several parents). The root is the last operation."""
    from hypothesis import strategies as st

    n_inputs = data.draw(st.integers(1, 3), label="inputs")
    pool: list[NeuralNetNode] = [Input(data.draw(st.floats(-2, 2)), name=f"x{i + 1}") for i in range(n_inputs)]
    pool += [Parameter(v) for v in data.draw(st.lists(st.floats(-2, 2).filter(lambda v: abs(v) > 1e-3),
                                                      min_size=1, max_size=3), label="parameters")]
    unused = list(range(len(pool)))
    for _ in range(data.draw(st.integers(1, max_ops), label="operations")):
        kind = data.draw(st.sampled_from([Add, Multiply, ReLU, Sigmoid]))
        n = 1 if kind in (ReLU, Sigmoid) else data.draw(st.integers(1, 3))
        if shared:
            picks = [data.draw(st.integers(0, len(pool) - 1)) for _ in range(n)]
        else:
            if not unused:
                break
            picks = []
            for _ in range(min(n, len(unused))):
                picks.append(unused.pop(data.draw(st.integers(0, len(unused) - 1))))
        pool.append(kind([pool[i] for i in picks]))
        unused.append(len(pool) - 1)
    if not shared:
        # gather what is left into one tree
        roots = [pool[i] for i in unused]
        return roots[0] if len(roots) == 1 else Add(roots)
    return pool[-1] if len(pool) > n_inputs + 1 and pool[-1].children else Add([pool[-1]])


# -- the helpers themselves ------------------------------------------------------------


def test_as_values_computes_what_the_tree_computes():
    x = Input(1.5)
    w = Parameter(-0.7)
    h = Sigmoid([Add([Multiply([w, x]), Parameter(0.2)])])
    root = Multiply([h, ReLU([Add([h, Parameter(0.3)])]), Parameter(2.0)])
    out, leaves = as_values(root)
    assert close(out.data, root.forward())
    assert len(leaves) == 5  # x, w, 0.2, 0.3, 2.0: the shared h is built once


def test_central_difference_of_a_known_derivative():
    w = Parameter(3.0)
    model = Multiply([w, w])  # w², derivative 2w = 6
    assert close(central_difference(model, w, lambda y: y), 6.0, rel=1e-7)
    assert w.value == 3.0
