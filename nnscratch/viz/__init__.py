"""Pictures of a computation graph.

* `dot`: `trace` lists a graph, `draw_dot` draws it with Graphviz.
* `steps`: `backprop_steps`, the backward pass as the engine runs it, step by step.
* `player`: a drawing with frames of data over it, as self-contained HTML.
* `backprop`: `backprop_player`, the backward pass stepped frame by frame.
"""

from .backprop import BackpropPlayer, backprop_player
from .dot import GraphDrawing, GraphvizNotFoundError, _use_dot, draw_dot, find_dot, trace
from .player import Frame, Player, side_by_side
from .steps import BackpropSteps, Change, Step, backprop_steps

__all__ = [
    "trace", "draw_dot", "GraphDrawing", "GraphvizNotFoundError", "find_dot",
    "backprop_steps", "BackpropSteps", "Step", "Change",
    "backprop_player", "BackpropPlayer", "Player", "Frame", "side_by_side",
]
