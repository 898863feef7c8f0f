"""Training a tree model: predict, measure the loss, pass its derivative back; repeat.

For each example (x, y) in turn, `train_model` runs

    ŷ = model.predict(x);   L = loss_fn(y, ŷ);   model.backward(loss_grad_fn(y, ŷ))

and the backward pass updates every parameter on its way down (stochastic gradient
descent, one example at a time, in the order of ``data``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Optional

from .checks import as_count, as_finite, not_finite, show
from .nodes import NeuralNetNode

__all__ = ["train_model"]


def train_model(
    model: NeuralNetNode,
    loss_fn: Callable[[Any, Any], float],
    loss_grad_fn: Callable[[Any, Any], Any],
    data: Sequence[tuple[Sequence[float], Any]],
    epochs: int = 1000,
    print_every: Optional[int] = 100,
    learning_rate: Optional[float] = None,
) -> list[float]:
    """Train ``model`` on ``data``, a list of ``(inputs, target)`` pairs, for ``epochs``
    passes; return the mean loss of each epoch.

    ``print_every=k`` prints the mean loss every k epochs (``None``: print nothing).
    ``learning_rate``, if given, is set on every parameter first; otherwise each
    parameter keeps its own. A loss that is not a finite number stops training with
    an error that names the example.
    """
    if not isinstance(model, NeuralNetNode):
        raise TypeError(f"model must be a node (the root of a model), got {type(model).__name__}")
    if not callable(loss_fn) or not callable(loss_grad_fn):
        raise TypeError("loss_fn and loss_grad_fn must be functions of (y_true, y_pred)")
    epochs = as_count(epochs, "epochs")
    if print_every is not None:
        print_every = as_count(print_every, "print_every", minimum=1)
    try:
        data = list(data)
    except TypeError:
        raise TypeError(f"data must be a list of (inputs, target) pairs, got {type(data).__name__}") from None
    if not data:
        raise ValueError("train_model: no data")
    for i, pair in enumerate(data):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"data must be (inputs, target) pairs; item {i} is {show(pair)}")
    if not model.is_compiled:
        model.compile()
    if learning_rate is not None:
        lr = as_finite(learning_rate, "learning_rate")
        if lr < 0:
            raise ValueError(f"learning_rate must be >= 0, got {show(learning_rate)}")
        for p in model.parameters():
            p.learning_rate = lr

    history = []
    for epoch in range(epochs):
        total = 0.0
        for i, (x, y) in enumerate(data):
            prediction = model.predict(x)
            loss = loss_fn(y, prediction)
            try:
                total += loss
            except TypeError:
                raise TypeError(f"loss_fn returned a {type(loss).__name__} ({show(loss)}) for example {i}, "
                                "not a number") from None
            if total - total:
                what = f"epoch {epoch}, example {i}: the loss {show(loss)}"
                raise not_finite(what if loss - loss else f"{what} added to the epoch's total", total)
            model.backward(loss_grad_fn(y, prediction))
        history.append(total / len(data))
        if print_every is not None and (epoch % print_every == 0 or epoch == epochs - 1):
            print(f"epoch {epoch:>4}: loss {history[-1]:.6g}")
    return history
