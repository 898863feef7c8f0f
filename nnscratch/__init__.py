"""nnscratch: the autograd engine and neural networks built in *Neural Networks from Scratch*."""

from .engine import Value
from .nn import MLP, Layer, Module, Neuron

__version__ = "0.1.0"

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP", "draw_dot", "trace", "__version__"]


def __getattr__(name: str):
    # draw_dot and trace need the graphviz package; import them only when asked for.
    if name in ("draw_dot", "trace"):
        from . import viz

        return getattr(viz, name)
    raise AttributeError(f"module 'nnscratch' has no attribute {name!r}")
