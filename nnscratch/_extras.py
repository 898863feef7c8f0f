"""The optional dependencies: which extra of the package installs which module.

The engine core needs only the standard library. A module that needs more imports it
through `require`, so that without it the error says what to install rather than a
bare "No module named ...".
"""

from __future__ import annotations

import importlib
from types import ModuleType

# module -> (extra that installs it, the PyPI name)
EXTRAS = {
    "numpy": ("arrays", "numpy"),
    "graphviz": ("viz", "graphviz"),
}


def require(module: str, needed_by: str) -> ModuleType:
    """Import ``module``, or raise an ImportError that names the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra, dist = EXTRAS[module]
        raise ImportError(
            f"{needed_by} needs {dist}, which is not installed. Install it with "
            f"pip install 'nnscratch[{extra}]' (or pip install {dist}), then restart "
            "the kernel."
        ) from exc
