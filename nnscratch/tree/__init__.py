"""The recursive tree framework: a network as a tree of nodes that evaluate themselves.

    from nnscratch.tree import Add, Multiply, Parameter, Input, mse_loss, mse_loss_grad, train_model

    model = Add([Multiply([Parameter(), Input()]), Parameter()])      # w·x + b
    train_model(model, mse_loss, mse_loss_grad, data, epochs=10)
    model.predict([32.0])

Modules, one idea each:

* `checks`, `errors`: which numbers are accepted, and the errors for the rest
  (`ModelError`, `DepthError`);
* `graph`: walks over a model (its nodes, inputs, a topological order, ancestors);
* `compiler`: ``compile()``: expand macros, find and name the inputs once, fix the order;
* `functions`: `sigmoid` and `softmax`, written once for the nodes and the formulas;
* `formula`: `funcify` (a model as a formula) and `evaluate_formula`;
* `nodes`: `NeuralNetNode`, the leaves `Input` and `Parameter`, the operations `Add`,
  `Multiply`, `ReLU`, `Sigmoid`; forward (recursive, cached) and backward (parents
  first, so shared nodes get the sum of their parents' derivatives);
* `macro`: `Macro`, and `Linear` as an example;
* `output`: `Output` and `Softmax`, roots that give a list;
* `losses`: MSE, binary and categorical cross-entropy, each with its derivative;
* `training`: `train_model`;
* `recursive`: the plain recursive backward pass, right on trees only, for comparison;
* `draw`: `draw_tree` (needs the graphviz package);
* `visits`: `backward_visits`, the backward pass watched visit by visit;
* `player`: `tree_player`, that pass stepped frame by frame in the page (needs graphviz);
* `examples`: the chapters' models and a three-class data set.

Imports run one way, down this list: `graph`, `compiler`, `functions` and `formula`
know nodes only by their attributes, and `nodes` builds on them. No pass stores a
number that is not finite, and every pass but the recursive ``forward`` (and
`backward_single_parent`, kept for comparison) works at any depth.
"""

from .compiler import compile_model
from .errors import DepthError, ModelError
from .examples import above_below_classifier, linear_regression, softmax_classifier, three_classes
from .formula import FormulaError, evaluate_formula, funcify
from .graph import ancestors, find_input_nodes, reset_forward_calls, topological_order, total_forward_calls, walk
from .losses import (bce_loss, bce_loss_grad, categorical_cross_entropy, categorical_cross_entropy_grad, mse_loss,
                     mse_loss_grad)
from .macro import Linear, Macro
from .nodes import Add, Input, Multiply, NeuralNetNode, Operation, Parameter, ReLU, Sigmoid, manual_seed, sigmoid
from .output import Output, Softmax, softmax, softmax_backward
from .recursive import backward_single_parent
from .training import train_model
from .visits import BackwardVisits, Visit, backward_visits

__all__ = [
    "NeuralNetNode", "Input", "Parameter", "Operation", "Add", "Multiply", "ReLU", "Sigmoid",
    "Macro", "Linear", "Output", "Softmax",
    "manual_seed", "ModelError", "DepthError", "sigmoid", "softmax", "softmax_backward",
    "compile_model", "walk", "find_input_nodes", "topological_order", "ancestors",
    "total_forward_calls", "reset_forward_calls",
    "mse_loss", "mse_loss_grad", "bce_loss", "bce_loss_grad",
    "categorical_cross_entropy", "categorical_cross_entropy_grad",
    "train_model", "funcify", "evaluate_formula", "FormulaError", "backward_single_parent",
    "linear_regression", "above_below_classifier", "softmax_classifier", "three_classes",
    "backward_visits", "BackwardVisits", "Visit",
    "draw_tree", "tree_player", "TreePlayer",
]


def __getattr__(name: str):
    # The drawings need the graphviz package; import them only when asked for.
    if name == "draw_tree":
        from .draw import draw_tree

        return draw_tree
    if name in ("tree_player", "TreePlayer"):
        from . import player

        return getattr(player, name)
    raise AttributeError(f"module 'nnscratch.tree' has no attribute {name!r}")
