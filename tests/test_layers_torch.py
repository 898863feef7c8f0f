"""The layer-level engine against PyTorch's autograd in float64: the same outputs and
the same gradients, to 1e-10, layer by layer and for whole models."""

from __future__ import annotations

import numpy as np
import pytest

from nnscratch.layers import SGD, Hinge, Lin, Model, Mse, ReLU, Sigmoid, SoftmaxCrossEntropy

torch = pytest.importorskip("torch", reason="PyTorch is optional: `make torch` installs the CPU build")
pytestmark = pytest.mark.torch

TOL = 1e-10


def t(a) -> "torch.Tensor":
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=True)


def close(ours, theirs) -> None:
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=TOL, atol=TOL)


def upstream(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def test_lin():
    r = np.random.default_rng(1)
    x, w, b = r.standard_normal((6, 4)), r.standard_normal((4, 3)), r.standard_normal(3)
    layer = Lin.from_arrays(w, b)
    out = layer(x)
    out.g = upstream(out.shape)
    layer.backward()
    tx, tw, tb = t(x), t(w), t(b)
    ty = tx @ tw + tb
    ty.backward(torch.tensor(out.g))
    close(out.data, ty)
    close(layer.args[0].g, tx.grad)
    close(layer.w.g, tw.grad)
    close(layer.b.g, tb.grad)


@pytest.mark.parametrize("ours, theirs", [(ReLU, torch.relu), (Sigmoid, torch.sigmoid)], ids=["ReLU", "Sigmoid"])
def test_activations(ours, theirs):
    x = np.concatenate([np.random.default_rng(2).standard_normal(20) * 4, [-800.0, -30.0, 30.0, 800.0]]).reshape(4, 6)
    layer = ours()
    out = layer(x)
    out.g = upstream(out.shape)
    layer.backward()
    tx = t(x)
    ty = theirs(tx)
    ty.backward(torch.tensor(out.g))
    close(out.data, ty)
    close(layer.args[0].g, tx.grad)


def loss_and_grad(loss, pred, target):
    value = loss(pred, target)
    loss.backward()
    return float(value.data), loss.args[0].g


def test_mse():
    r = np.random.default_rng(3)
    pred, target = r.standard_normal((9, 1)), r.standard_normal(9)
    value, grad = loss_and_grad(Mse(), pred, target)
    tp = t(pred)
    tl = torch.nn.functional.mse_loss(tp[:, 0], torch.tensor(target))
    tl.backward()
    close(value, tl)
    close(grad, tp.grad)


@pytest.mark.parametrize("scale", [1.0, 50.0, 1e4], ids=["small", "large", "huge"])
def test_softmax_cross_entropy(scale):
    r = np.random.default_rng(4)
    logits, labels = r.standard_normal((12, 5)) * scale, r.integers(0, 5, 12)
    value, grad = loss_and_grad(SoftmaxCrossEntropy(), logits, labels)
    tz = t(logits)
    tl = torch.nn.functional.cross_entropy(tz, torch.tensor(labels))
    tl.backward()
    np.testing.assert_allclose(value, tl.item(), rtol=TOL, atol=TOL * scale)
    close(grad, tz.grad)


def test_hinge():
    r = np.random.default_rng(5)
    scores, labels = r.standard_normal((10, 1)) * 2, r.choice([-1, 1], 10)
    value, grad = loss_and_grad(Hinge(), scores, labels)
    ts = t(scores)
    tl = torch.relu(1 - torch.tensor(labels, dtype=torch.float64) * ts[:, 0]).mean()
    tl.backward()
    close(value, tl)
    close(grad, ts.grad)


def twin(seed: int, activation: type, sizes: list[int]):
    """A Model and a torch.nn.Sequential with the same weights."""
    r = np.random.default_rng(seed)
    ours, theirs = [], []
    act = {ReLU: torch.nn.ReLU, Sigmoid: torch.nn.Sigmoid}[activation]
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layer = Lin(a, b, init="he", seed=r)
        layer.b.data[:] = r.standard_normal(b) * 0.1
        linear = torch.nn.Linear(a, b, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(layer.w.data.T))
            linear.bias.copy_(torch.tensor(layer.b.data))
        ours.append(layer)
        theirs.append(linear)
        if i < len(sizes) - 2:
            ours.append(activation())
            theirs.append(act())
    return ours, torch.nn.Sequential(*theirs)


@pytest.mark.parametrize("activation", [ReLU, Sigmoid])
def test_a_classifier_trains_step_for_step_like_pytorch(activation):
    layers, net = twin(6, activation, [8, 16, 12, 4])
    model = Model(layers, SoftmaxCrossEntropy())
    r = np.random.default_rng(7)
    x, y = r.standard_normal((20, 8)), r.integers(0, 4, 20)
    opt = SGD(model.parameters(), lr=0.3)
    topt = torch.optim.SGD(net.parameters(), lr=0.3)
    tx, ty = torch.tensor(x), torch.tensor(y)
    for _ in range(5):
        loss = model(x, y)
        model.backward()
        topt.zero_grad()
        tloss = torch.nn.functional.cross_entropy(net(tx), ty)
        tloss.backward()
        np.testing.assert_allclose(loss, tloss.item(), rtol=TOL)
        theirs = [p for m in net if isinstance(m, torch.nn.Linear) for p in (m.weight, m.bias)]
        for p, q in zip(model.parameters(), theirs):
            close(p.g, q.grad.T if q.grad.ndim == 2 else q.grad)
        opt.step()
        topt.step()


def test_the_regression_model_matches_nn_sequential():
    layers, net = twin(8, Sigmoid, [1, 30, 1])
    model = Model(layers, Mse())
    x = np.random.default_rng(9).standard_normal((40, 1))
    loss = model(x, x[:, 0] ** 2)
    model.backward()
    tloss = torch.nn.functional.mse_loss(net(torch.tensor(x))[:, 0], torch.tensor(x[:, 0] ** 2))
    tloss.backward()
    np.testing.assert_allclose(loss, tloss.item(), rtol=TOL)
    close(model.parameters()[0].g, net[0].weight.grad.T)
    close(model.parameters()[3].g, net[2].bias.grad)
