"""The errors the tree framework raises beyond Python's own.

* `ModelError`: the model cannot do what was asked (a `Macro` used before `compile`, a
  macro whose expansion contains itself, a pass that would run for ever).
* `DepthError`: a recursive pass went deeper than Python's recursion limit. It is a
  `RecursionError` too, so ``except RecursionError`` still catches it; its message says
  which limit was hit and what to do about it.
"""

from __future__ import annotations

import sys

__all__ = ["ModelError", "DepthError"]


class ModelError(RuntimeError):
    """The model cannot do what was asked (e.g. a `Macro` used before `compile`)."""


class DepthError(ModelError, RecursionError):
    """A recursive pass (``forward``, `backward_single_parent`) reached Python's recursion
    limit: the model is deeper than recursion can go.

    ``DepthError(name)`` takes only the name of the pass. It is raised a frame or two
    below the recursion limit, where calling any Python function would fail again, so
    the message is put together only when it is shown.
    """

    def __str__(self) -> str:
        what = self.args[0] if self.args else "a recursive pass"
        return (f"{what} went deeper than Python's recursion limit allows "
                f"(sys.getrecursionlimit() is {sys.getrecursionlimit():,}): each level of the "
                "tree is one more recursive call. Build a shallower model, or raise the limit "
                "with sys.setrecursionlimit(n) (not too far: Python itself can crash when "
                "its stack runs out).")
