"""The layers-vs-PyTorch benchmark runs, and both engines follow the same trajectory.

(Speed is never a pass/fail test: the script prints its figures.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_layers_vs_torch_quick_run():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "layers_vs_torch.py"), "--quick"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "42 steps" in out  # 1347 training images in full batches of 32, one epoch
    ours = re.search(r"nnscratch\.layers\s+[\d.]+ s\s+\d+ µs\s+([\d.]+)\s+([\d.]+)%", out)
    assert ours, out
    try:
        import torch  # noqa: F401
    except ImportError:
        pytest.skip("PyTorch is not installed: only nnscratch.layers was timed")
    theirs = re.search(r"PyTorch float64\s+[\d.]+ s\s+\d+ µs\s+([\d.]+)\s+([\d.]+)%", out)
    assert theirs, out
    assert ours.group(1)[:12] == theirs.group(1)[:12] and ours.group(2) == theirs.group(2), out
    assert re.search(r"PyTorch float64 / nnscratch\.layers = [\d.]+", out)
