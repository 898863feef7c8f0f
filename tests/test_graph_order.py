"""The order of the chain rule comes from the graph alone, so ``backward()`` is right for
any graph however its nodes were made: in this process or another, unpickled, copied,
or a mixture; and pickle and copy.deepcopy work on graphs of any depth, keeping which
node is which."""

from __future__ import annotations

import copy
import math
import pickle
import random

import pytest

from nnscratch import MLP, Value
from nnscratch.data import make_moons
from nnscratch.engine import backward_order
from nnscratch.losses import hinge, l2

from test_regressions import run_python


def assert_topological(root: Value) -> None:
    order = backward_order(root)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order), "a node is listed twice"
    assert order[0] is root
    for node in order:
        for child in node.children:
            if child.children:
                assert position[id(child)] > position[id(node)], "a child before its parent"


def random_graph(seed: int, size: int = 60) -> tuple[list[Value], Value]:
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(4)]
    nodes = list(leaves)
    for _ in range(size):
        a, b = rng.choice(nodes), rng.choice(nodes)
        op = rng.choice(["+", "*", "-", "tanh"])
        nodes.append(a.tanh() if op == "tanh" else a + b if op == "+" else a * b if op == "*" else a - b)
    return leaves, nodes[-1]


@pytest.mark.parametrize("seed", range(20))
def test_backward_order_is_topological_and_lists_every_operation_once(seed):
    _, root = random_graph(seed)
    assert_topological(root)


def test_backward_order_does_not_depend_on_when_nodes_were_made():
    # Build the operands of the last node in the opposite order: a node made *after* its
    # parent's other operand must still come in the right place.
    a = Value(2.0)
    late = a * 3.0
    early = a + 1.0
    top = late * early
    assert_topological(top)
    top.backward()
    assert a.grad == 3.0 * 3.0 + 6.0  # d/da [3a (a + 1)] = 6a + 3


# -- pickling and copying --------------------------------------------------------------------------


def _grads_of_fresh_graph(seed: int) -> list[float]:
    leaves, root = random_graph(seed)
    root.backward()
    return [leaf.grad for leaf in leaves]


@pytest.mark.parametrize("seed", range(5))
def test_an_unpickled_graph_gets_the_same_gradients(seed):
    leaves, root = random_graph(seed)
    leaves2, root2 = pickle.loads(pickle.dumps((leaves, root)))
    root2.backward()
    assert [v.grad for v in leaves2] == _grads_of_fresh_graph(seed)
    assert all(v.grad == 0.0 for v in leaves)  # the original is untouched


@pytest.mark.parametrize("seed", range(5))
def test_a_deep_copied_graph_gets_the_same_gradients(seed):
    leaves, root = random_graph(seed)
    leaves2, root2 = copy.deepcopy((leaves, root))
    root2.backward()
    assert [v.grad for v in leaves2] == _grads_of_fresh_graph(seed)


def test_a_graph_mixing_copied_and_original_nodes():
    # The copy's nodes and the original's are separate graphs joined by one more node.
    a, b = Value(3.0), Value(5.0)
    e = a * b
    e_copy = copy.deepcopy(e)
    a_copy, b_copy = e_copy.children
    top = e * e_copy + e  # 15 · 15 + 15
    top.backward()
    assert (a.grad, b.grad) == (15.0 * 5.0 + 5.0, 15.0 * 3.0 + 3.0)
    assert (a_copy.grad, b_copy.grad) == (15.0 * 5.0, 15.0 * 3.0)


def test_pickling_keeps_which_node_is_which():
    X, y = make_moons(6, seed=0, signed=True)
    model = MLP(2, [3, 1], seed=0)
    scores = [model(x) for x in X]
    loss = hinge(scores, y) + 0.01 * l2(model.parameters())
    params2, scores2, loss2 = pickle.loads(pickle.dumps((model.parameters(), scores, loss)))
    in_graph = {id(v) for v in backward_order(loss2)}
    assert all(id(s) in in_graph for s in scores2)  # the same nodes, not copies
    loss.backward()
    loss2.backward()
    assert [p.grad for p in params2] == [p.grad for p in model.parameters()]
    assert [s.grad for s in scores2] == [s.grad for s in scores]


def test_a_whole_training_step_pickles_and_copies():
    X, y = make_moons(100, seed=1, signed=True)
    model = MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=1)
    loss = hinge([model(x) for x in X], y) + 1e-4 * l2(model.parameters())
    for clone in (pickle.loads(pickle.dumps(loss)), copy.deepcopy(loss)):
        assert clone.data == loss.data
        clone.backward()
    loss.backward()
    assert clone.grad == 1.0


def _chain(depth: int) -> tuple[Value, Value]:
    x = Value(0.5, label="x")
    v = x
    for i in range(depth):
        v = v * 1.0 if i % 2 else v + 0.0
    return x, v


def test_a_chain_far_deeper_than_the_recursion_limit_pickles_and_copies():
    x, v = _chain(100_000)
    for clone in (pickle.loads(pickle.dumps(v)), copy.deepcopy(v)):
        clone.backward()
        leaf = backward_order(clone)[-1].children[0]
        assert leaf.label == "x" and leaf.grad == 1.0
    assert x.grad == 0.0


def test_copy_copy_makes_a_new_node_over_the_same_children():
    a, b = Value(2.0), Value(3.0)
    e = a * b
    e.label = "e"
    shallow = copy.copy(e)
    assert shallow is not e and shallow.children[0] is a and shallow.children[1] is b
    assert (shallow.data, shallow.label, shallow.op, shallow.local_grads) == (6.0, "e", "*", (3.0, 2.0))


def test_a_failed_pickle_leaves_later_copies_working():
    class Unpicklable:
        def __reduce__(self):
            raise TypeError("not today")

    _, v = _chain(2_000)
    with pytest.raises(TypeError):
        pickle.dumps((v, Unpicklable()))
    inner = backward_order(v)[500]
    assert pickle.loads(pickle.dumps(inner)).data == inner.data


# -- across processes ---------------------------------------------------------------------------------

BUILD = """
import pickle, sys
from nnscratch import Value
a, b = Value(3.0, label="a"), Value(5.0, label="b")
e = a * b          # 15
f = e * a          # 45
sys.stdout.buffer.write(pickle.dumps((a, b, e, f)))
"""

EXTEND = """
import pickle, sys
from nnscratch import Value
{warm_up}
a, b, e, f = pickle.loads(sys.stdin.buffer.read())
g = f * e + b * e  # nodes made here, on top of nodes made in another process
g.backward()
print(a.grad, b.grad)
"""


@pytest.mark.parametrize("warm_up", ["", "junk = [Value(1.0) * 2.0 for _ in range(10_000)]"])
def test_a_graph_extended_in_another_process_gets_the_right_gradients(warm_up):
    import subprocess
    import sys

    built = subprocess.run([sys.executable, "-c", BUILD], capture_output=True, check=True)
    extended = subprocess.run([sys.executable, "-c", EXTEND.format(warm_up=warm_up)], input=built.stdout,
                              capture_output=True, check=True)
    # g = a²b · ab + b · ab = a³b² + ab²; dg/da = 3a²b² + b² = 700, dg/db = 2a³b + 2ab = 300
    assert extended.stdout.decode().split() == ["700.0", "300.0"]


def test_the_order_is_the_same_in_every_process():
    code = """
        import random
        from nnscratch import Value
        from nnscratch.engine import backward_order
        rng = random.Random(4)
        nodes = [Value(rng.uniform(-1, 1)) for _ in range(5)]
        for _ in range(300):
            a, b = nodes[-1], rng.choice(nodes)
            nodes.append((a * b).tanh() if rng.random() < 0.5 else b + a)
        print(" ".join(v.data.hex() for v in backward_order(nodes[-1])))
    """
    runs = [run_python(code, {"PYTHONHASHSEED": seed}) for seed in ("0", "1")]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and len(runs[0].stdout.split()) > 100


def test_gradients_are_exactly_those_of_a_hand_derivation():
    a, b = Value(3.0), Value(5.0)
    e = a * b
    f = e * a
    g = f * e + b * e
    g.backward()
    assert math.isclose(a.grad, 700.0) and math.isclose(b.grad, 300.0)
