"""PyTorch in float64 as an oracle: every operation, random expressions, the neuron of
the chapters, an MLP and the two-moons loss give the same values and gradients to
about 1e-12, relative.

Tensors are made with ``torch.tensor(x, dtype=torch.float64)``: ``torch.Tensor([x])``
would round x through float32 first (tested below, since the chapters warn about it).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given

torch = pytest.importorskip("torch", reason="the oracle tests compare with PyTorch, which is optional (make torch)")

from expressions import LIMIT, freeze, points, trees  # noqa: E402
from expressions import build as build_value  # noqa: E402
from nnscratch import MLP, Value  # noqa: E402
from nnscratch.data import make_moons  # noqa: E402
from nnscratch.losses import binary_cross_entropy, hinge, l2, mse  # noqa: E402
from nnscratch.optim import SGD  # noqa: E402

pytestmark = pytest.mark.torch

REL = 1e-12


def t64(x: float, grad: bool = True):
    return torch.tensor(x, dtype=torch.float64, requires_grad=grad)


def agree(ours: float, theirs: float, scale: float = 1.0) -> bool:
    """Equal to REL relative, or to REL·scale absolute when the result itself is a
    small difference of numbers of size ``scale``."""
    return math.isclose(ours, theirs, rel_tol=REL, abs_tol=REL * scale)


def compare(f_ours, f_torch, *inputs, scale=1.0):
    xs = [Value(x) for x in inputs]
    out = f_ours(*xs)
    out.backward()
    ts = [t64(x) for x in inputs]
    ref = f_torch(*ts)
    ref.backward()
    assert agree(out.data, ref.item(), scale), (out.data, ref.item())
    for x, t in zip(xs, ts):
        theirs = 0.0 if t.grad is None else t.grad.item()
        assert agree(x.grad, theirs, scale), (x.grad, theirs)


def test_float32_rounding_trap_is_real():
    b = 6.8813735870195432
    assert torch.Tensor([b]).double().item() != b
    assert abs(torch.Tensor([b]).double().item() - 6.881373405) < 1e-9
    assert torch.tensor(b, dtype=torch.float64).item() == b


# -- every operation -------------------------------------------------------------------------

PAIRS = [(3.0, -2.0), (0.5, 0.25), (-1.75, 4.5), (1e-3, 7.0), (123.456, -0.0625)]


@pytest.mark.parametrize("a, b", PAIRS)
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda a, b: a + b, lambda a, b: a + b),
        (lambda a, b: a - b, lambda a, b: a - b),
        (lambda a, b: a * b, lambda a, b: a * b),
        (lambda a, b: a / b, lambda a, b: a / b),
        (lambda a, b: a * a / b - b, lambda a, b: a * a / b - b),
    ],
    ids=["add", "sub", "mul", "div", "mixed"],
)
def test_binary_operations(a, b, ours, theirs):
    compare(ours, theirs, a, b, scale=abs(a) + abs(b))


POWERS = [
    (x, n)
    for x in (0.3, 1.7, 4.0, -2.5, -0.6)
    for n in (2, 3, -1, -2, 0.5, 1.5, -0.5, 0, 1)
    if x > 0 or n == int(n)  # a negative base to a fractional power is not real
]


@pytest.mark.parametrize("x, n", POWERS)
def test_powers(x, n):
    compare(lambda v: v**n, lambda t: t**n, x)


@pytest.mark.parametrize("c", [0.5, 2.0, 3.0, math.e])
@pytest.mark.parametrize("x", [-1.5, 0.0, 0.75, 3.0])
def test_a_number_to_a_value_power(c, x):
    compare(lambda v: c**v, lambda t: c**t, x)


@pytest.mark.parametrize("c", [2.0, -0.5])
@pytest.mark.parametrize("x", [-1.5, 0.75, 3.0])
def test_a_number_on_the_left(c, x):
    compare(lambda v: c + v, lambda t: c + t, x)
    compare(lambda v: c - v, lambda t: c - t, x)
    compare(lambda v: c * v, lambda t: c * t, x)
    compare(lambda v: c / v, lambda t: c / t, x)


@pytest.mark.parametrize("x", [-3.0, -0.7, -1e-4, 0.2, 1.0, 2.5, 19.0, -19.0])
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda v: -v, lambda t: -t),
        (lambda v: v.exp(), torch.exp),
        (lambda v: v.tanh(), torch.tanh),
        (lambda v: v.sigmoid(), torch.sigmoid),
        (lambda v: v.relu(), torch.relu),
    ],
    ids=["neg", "exp", "tanh", "sigmoid", "relu"],
)
def test_functions(x, ours, theirs):
    compare(ours, theirs, x)


@pytest.mark.parametrize("x", [1e-3, 0.2, 1.0, 2.5, 1e4])
def test_log(x):
    compare(lambda v: v.log(), torch.log, x)


@pytest.mark.parametrize("x", [-800.0, -40.0, 40.0, 800.0])
def test_saturating_functions_at_large_inputs(x):
    compare(lambda v: v.tanh(), torch.tanh, x)
    compare(lambda v: v.sigmoid(), torch.sigmoid, x)


# -- random expressions -------------------------------------------------------------------------


def build_torch(tree, ts):
    """The same tree as `expressions.build`, in PyTorch."""
    kind = tree[0]
    if kind == "x":
        return ts[tree[1]]
    if kind == "c":
        return t64(tree[1], grad=False)
    if kind == "neg":
        return -build_torch(tree[1], ts)
    if kind in ("exp", "log", "tanh", "sigmoid", "relu"):
        return getattr(torch, kind)(build_torch(tree[1], ts))
    if kind == "**":
        return build_torch(tree[1], ts) ** tree[2]
    if kind in ("+", "-", "*", "/"):
        a, b = build_torch(tree[1], ts), build_torch(tree[2], ts)
        return {"+": a.__add__, "-": a.__sub__, "*": a.__mul__, "/": a.__truediv__}[kind](b)
    if kind in ("n+", "n-", "n*", "n/", "n**"):
        c, t = tree[1], build_torch(tree[2], ts)
        return {"n+": t.__radd__, "n-": t.__rsub__, "n*": t.__rmul__, "n/": t.__rtruediv__, "n**": t.__rpow__}[kind](c)
    if kind == "+n":
        return build_torch(tree[1], ts) + tree[2]
    return build_torch(tree[1], ts) * tree[2]  # "*n"


@given(trees, points)
def test_random_expressions(tree, point):
    safe, _ = freeze(tree, point)
    xs = [Value(x) for x in point]
    out = build_value(safe, xs)
    out.backward()
    ts = [t64(x) for x in point]
    ref = build_torch(safe, ts)
    if ref.requires_grad:
        ref.backward()
    grads = [0.0 if t.grad is None else t.grad.item() for t in ts]
    assert agree(out.data, ref.item(), LIMIT), (safe, out.data, ref.item())
    scale = max([1.0] + [abs(g) for g in grads])
    for x, g in zip(xs, grads):
        assert agree(x.grad, g, scale), (safe, [x.grad for x in xs], grads)


# -- the neuron of the chapters ----------------------------------------------------------------------


@pytest.mark.parametrize("b", [6.8813735870195432, 6.0])
def test_the_tanh_neuron(b):
    values = dict(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=b)
    ours = {k: Value(v) for k, v in values.items()}
    o = (ours["x1"] * ours["w1"] + ours["x2"] * ours["w2"] + ours["b"]).tanh()
    o.backward()
    theirs = {k: t64(v) for k, v in values.items()}
    ref = torch.tanh(theirs["x1"] * theirs["w1"] + theirs["x2"] * theirs["w2"] + theirs["b"])
    ref.backward()
    assert o.data == pytest.approx(ref.item(), rel=REL, abs=REL)
    for k in values:
        assert ours[k].grad == pytest.approx(theirs[k].grad.item(), rel=REL, abs=REL), k
    if b != 6.0:
        assert f"{ref.item():.10f}" == "0.7071067812"


# -- networks ---------------------------------------------------------------------------------------


def torch_mlp(model: MLP):
    """The weights of ``model`` as float64 tensors, one (W, b, activation) per layer."""
    layers = []
    for layer in model.layers:
        W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        layers.append((W, b, layer.neurons[0].activation))
    return layers


def torch_forward(layers, X):
    h = torch.tensor(X, dtype=torch.float64)
    for W, b, activation in layers:
        h = h @ W.T + b
        if activation != "linear":
            h = getattr(torch, activation)(h)
    return h[:, 0]


def torch_grads(layers) -> list[float]:
    """Gradients in the order of ``model.parameters()``: per neuron, weights then bias."""
    out = []
    for W, b, _ in layers:
        for i in range(W.shape[0]):
            out.extend(W.grad[i].tolist())
            out.append(b.grad[i].item())
    return out


def assert_all_close(ours: list[float], theirs: list[float]):
    assert len(ours) == len(theirs)
    scale = max(abs(x) for x in theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert agree(a, b, scale), (i, a, b)


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


@pytest.mark.parametrize("fused", [False, True])
def test_mlp_loss_and_all_parameter_gradients(fused):
    model = MLP(3, [4, 4, 1], seed=0, fused=fused)
    loss = mse([model(x) for x in XS], YS)
    loss.backward()
    layers = torch_mlp(model)
    ref = ((torch_forward(layers, XS) - torch.tensor(YS, dtype=torch.float64)) ** 2).mean()
    ref.backward()
    assert agree(loss.data, ref.item())
    grads = torch_grads(layers)
    assert len(grads) == 41
    assert_all_close([p.grad for p in model.parameters()], grads)


@pytest.mark.parametrize("fused", [False, True])
def test_hinge_and_l2_on_moons(fused):
    X, y = make_moons(n_samples=40, noise=0.1, seed=0, signed=True)
    model = MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=0, fused=fused)
    alpha = 1e-4
    loss = hinge([model(x) for x in X], y) + alpha * l2(model.parameters())
    loss.backward()
    layers = torch_mlp(model)
    scores = torch_forward(layers, X)
    labels = torch.tensor(y, dtype=torch.float64)
    penalty = sum((W**2).sum() + (b**2).sum() for W, b, _ in layers)
    ref = torch.relu(1 - labels * scores).mean() + alpha * penalty
    ref.backward()
    assert agree(loss.data, ref.item())
    grads = torch_grads(layers)
    assert len(grads) == 337
    assert_all_close([p.grad for p in model.parameters()], grads)
    assert sum(g != 0 for g in grads) > 100  # the data set really exercises the network


def test_a_few_training_steps_follow_the_same_path():
    X, y = make_moons(n_samples=20, noise=0.1, seed=1, signed=True)
    model = MLP(2, [8, 1], activation="tanh", linear_output=True, seed=3)
    layers = torch_mlp(model)
    opt = SGD(model.parameters(), lr=0.1)
    torch_opt = torch.optim.SGD([p for W, b, _ in layers for p in (W, b)], lr=0.1)
    labels = torch.tensor(y, dtype=torch.float64)
    for _ in range(5):
        loss = hinge([model(x) for x in X], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ref = torch.relu(1 - labels * torch_forward(layers, X)).mean()
        torch_opt.zero_grad()
        ref.backward()
        torch_opt.step()
        assert agree(loss.data, ref.item())
    theirs = []
    for W, b, _ in layers:
        for i in range(W.shape[0]):
            theirs.extend(W[i].tolist())
            theirs.append(b[i].item())
    assert_all_close([p.data for p in model.parameters()], theirs)


def test_binary_cross_entropy_on_sigmoid_outputs():
    zs = [0.3, -1.2, 2.0, -0.1]
    labels = [1, 0, 0, 1]
    ours = [Value(z) for z in zs]
    loss = binary_cross_entropy([z.sigmoid() for z in ours], labels)
    loss.backward()
    t = torch.tensor(zs, dtype=torch.float64, requires_grad=True)
    ref = torch.nn.functional.binary_cross_entropy(torch.sigmoid(t), torch.tensor(labels, dtype=torch.float64))
    ref.backward()
    assert agree(loss.data, ref.item())
    assert_all_close([z.grad for z in ours], t.grad.tolist())
