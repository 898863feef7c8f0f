"""Chapter 08, *The recursive tree framework*: the right numeric answers of its questions."""

from __future__ import annotations

import math

import nnscratch.tree as nt

from . import computes


@computes
def dyhat_dw1_at_x_3() -> float:
    x = nt.Input(3.0)
    w1, b1, w2, b2 = nt.Parameter(0.5), nt.Parameter(-0.25), nt.Parameter(1.5), nt.Parameter(0.1)
    net = nt.Add([nt.Multiply([w2, nt.ReLU([nt.Add([nt.Multiply([w1, x]), b1])])]), b2])
    net.backward(1.0, update=False)
    return w1.derivative


@computes
def dL_dv_at_p_0_8() -> float:
    # sigmoid(v·h + d) = 0.8 with the hidden value h = 0.5 (v = 1), for a point labelled 0
    v, h = nt.Parameter(1.0), nt.Parameter(0.5)
    d = nt.Parameter(math.log(0.8 / 0.2) - 0.5)
    model = nt.Sigmoid([nt.Add([nt.Multiply([v, h]), d])])
    p = model.forward()
    model.backward(nt.bce_loss_grad(0, p), update=False)
    return v.derivative


@computes
def uncached_backward_calls_chain_30() -> float:
    chain = nt.Multiply([nt.Parameter(0.5), nt.Input()])
    for _ in range(30):
        chain = nt.Sigmoid([chain])
    chain = chain.compile(cache=False)
    chain.predict([1.0])
    nt.reset_forward_calls(chain)
    chain.backward(1.0, update=False)
    return float(nt.total_forward_calls(chain))
