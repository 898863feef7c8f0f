"""bench/tree_vs_value.py runs, and checks what it measures: the cached and uncached
trees and the Value engine train the classifier to the same parameters.

(Speed itself is never a pass/fail test: the script prints its figures.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_tree_vs_value_quick_run():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "tree_vs_value.py"), "--quick"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "parameters agree: cached = uncached bit for bit" in out
    assert re.search(r"tree, no cache\s+50\.0\n\s+tree, cached\s+22\.0", out), out
    for name in ("tree, no cache", "tree, cached", "Value"):
        assert re.search(rf"{name}\s+[\d.]+ µs per example", out), out
    assert re.search(r"tree\s+\d+ sigmoids \(Python's recursion limit", out), out
