"""The benchmark scripts run, and the scalar engine reproduces micrograd's losses.

(Speed itself is never a pass/fail test: the scripts print their figures.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_engine_vs_micrograd_quick_run():
    pytest.importorskip("micrograd", reason="micrograd is a benchmark-only dependency: pip install -r bench/requirements.txt")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "engine_vs_micrograd.py"), "--quick"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "losses agree at every step" in out
    assert re.search(r"nnscratch is [\d.]+x faster per step", out)
    # Both engines build the same graph for the same workload.
    counts = re.findall(r"^\s+(micrograd|nnscratch)\s.*?ms .*? s\s+([\d,]+)", out, re.M)
    assert len(counts) == 2 and counts[0][1] == counts[1][1], out
    assert re.search(r"nnscratch\s+20,000\s+\(largest tried\)", out), out
