"""Chapter 09, *Seven exercises*: the right numeric answers of its questions."""

from __future__ import annotations

import nnscratch.tree as nt

from . import computes


@computes
def w_after_a_third_step() -> float:
    model = nt.linear_regression(weight=1.0, bias=0.0, learning_rate=0.1)
    examples = [([2.0], 3.0), ([1.0], 0.5), ([-1.0], 0.0)]
    nt.train_model(model, nt.mse_loss, nt.mse_loss_grad, examples, epochs=1, print_every=None)
    w, _ = model.parameters()
    return w.value


@computes
def forward_calls_after_the_bias_moves() -> float:
    x1, x2 = nt.Input(), nt.Input()
    bias = nt.Parameter(0.25)
    left, right = nt.Multiply([nt.Parameter(0.5), x1]), nt.Multiply([nt.Parameter(-1.5), x2])
    small = nt.Sigmoid([nt.Add([left, right, bias])]).compile()
    small.predict([1.0, 2.0])
    bias.value = 0.3
    nt.reset_forward_calls(small)
    small.forward()
    return float(nt.total_forward_calls(small))


@computes
def dL_dz_true_class() -> float:
    p = [0.7, 0.2, 0.1]
    return nt.softmax_backward(p, nt.categorical_cross_entropy_grad(0, p))[0]


@computes
def dy_dh_with_three_parents() -> float:
    h = nt.Sigmoid([nt.Input(0.3)])
    a, c, e = nt.Parameter(1.5), nt.Parameter(-0.5), nt.Parameter(2.0)
    y = nt.Add([nt.Multiply([a, h]), nt.Multiply([c, h]), nt.Multiply([e, h])])
    y.backward(1.0, update=False)
    return h.derivative
