"""Notebook settings for pytest (the chapters run under nbval).

The chapters that compare with PyTorch (07, and 10's torch.nn.Sequential) store printed
PyTorch results, so their outputs only match where PyTorch is installed. Where it is
not, their cells are skipped with the reason, rather than failing; they are marked ``torch`` either
way, so ``-m "not torch"`` leaves them out.
"""

from __future__ import annotations

import pytest

TORCH_CHAPTERS = {"07_checking_against_pytorch.ipynb", "10_layers_and_matrices.ipynb"}
NO_TORCH = "PyTorch is not installed (make torch installs the CPU build)"


def _torch_installed() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    chapters = [item for item in items if item.path.name in TORCH_CHAPTERS]
    if not chapters:
        return
    installed = _torch_installed()
    for item in chapters:
        item.add_marker(pytest.mark.torch)
        if not installed:
            item.add_marker(pytest.mark.skip(reason=NO_TORCH))
