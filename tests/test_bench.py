"""The benchmark scripts run, the scalar engine reproduces micrograd's losses, and the
fused engine the unfused one's.

(Speed itself is never a pass/fail test: the scripts print their figures.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_script(name: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / name), "--quick"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_engine_vs_micrograd_quick_run():
    pytest.importorskip("micrograd", reason="micrograd is a benchmark-only dependency: pip install -r bench/requirements.txt")
    out = run_script("engine_vs_micrograd.py")
    assert re.search(r"gc\.get_threshold\(\) = \(\d+, \d+, \d+\)", out)
    assert "losses agree at every step" in out
    for engine in ("nnscratch", "nnscratch fused"):
        assert re.search(rf"{engine} is [\d.]+x \(blocks [\d.]+-[\d.]+x\) faster per step than micrograd", out), out
    # nnscratch builds the same graph as micrograd; the fused engine a far smaller one.
    counts = dict(re.findall(r"^  (micrograd|nnscratch|nnscratch fused)\s+[\d.]+ ms\s+[\d.]+ s\s+([\d,]+)\s+[\d.]+\s", out, re.M))
    assert counts["micrograd"] == counts["nnscratch"], out
    assert int(counts["nnscratch fused"].replace(",", "")) < int(counts["nnscratch"].replace(",", "")) / 5
    assert re.search(r"^  nnscratch fused\s+[\d,]+\s+[\d,]+\s+\d+ B$", out, re.M), out
    assert re.search(r"nnscratch\s+20,000\s+\(largest tried\)", out), out


def test_engine_scaling_quick_run():
    out = run_script("engine_scaling.py")
    assert re.search(r"gc\.get_threshold\(\) = \(\d+, \d+, \d+\)", out)
    assert out.count("time per node at width 8 / width 4") == 3  # three settings
    assert out.count("time per edge at width 8 / width 4") == 3  # the same for the fused engine
    assert re.search(r"^\s+4\s+[\d,]+\s+\d+ ns \(\d+-\d+\)\s+[\d.]+ full", out, re.M), out
