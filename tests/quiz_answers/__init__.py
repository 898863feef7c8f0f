"""The right numeric answers of the chapters' self-check questions, computed.

A numeric question's ``computed_by`` (in ``book/quizzes/NN_topic.json``) names a
function registered here with ``@computes``, in the module of its chapter
(``chNN.py``). Each returns the right answer (a number, or ``(low, high)`` for a right
range), worked out with the package or from the chapter's worked example, never typed
in. ``tests/test_quizzes.py`` compares every file with them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

Answer = Callable[[], "float | tuple[float, float]"]

ANSWERS: dict[str, Answer] = {}


def computes(function: Answer) -> Answer:
    """Register ``function`` under its name; a name used twice is an error."""
    name = function.__name__
    if name in ANSWERS:
        raise ValueError(f"two functions compute {name!r}: rename one")
    ANSWERS[name] = function
    return function


def load_all() -> dict[str, Answer]:
    """Import every chapter's module, so that all of them are registered."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return ANSWERS
