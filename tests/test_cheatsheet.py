"""The cheat sheet's code runs with the package and prints what its comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHEET = (ROOT / "book" / "cheatsheet.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```", SHEET, re.M | re.S)


def run(code: str) -> tuple[str, dict]:
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "cheatsheet.md", "exec"), namespace)
    return out.getvalue(), namespace


def test_the_sheet_has_its_code():
    assert len(BLOCKS) == 2


def test_the_worked_example_prints_what_it_says():
    code = BLOCKS[0]
    printed, _ = run(code)
    promised = re.search(r"#\s*(-?[\d.]+(?:\s+-?[\d.]+)*)\s*$", code, re.M).group(1)
    assert printed.split() == promised.split()


def test_the_worked_example_table_matches_the_engine():
    from nnscratch import Value

    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    nodes = [a, b, c, e, d, f, L]

    def row(name: str) -> list[float]:
        line = re.search(rf"^\| {name} .*$", SHEET, re.M).group(0)
        cells = [x.strip().replace("−", "-") for x in line.strip("|").split("|")[1:]]
        return [float(x) for x in cells]

    assert row("data") == [v.data for v in nodes]
    assert row("grad") == [v.grad for v in nodes]


def test_the_training_loop_runs_and_lowers_the_loss():
    from nnscratch.losses import hinge
    from nnscratch.nn import MLP

    _, ns = run(BLOCKS[1])
    X, y = ns["X"], ns["y"]
    assert set(y) == {-1, 1}
    untrained = MLP(2, [16, 16, 1], activation="relu", linear_output=True)
    before = hinge([untrained(x) for x in X], y).data
    after = hinge([ns["model"](x) for x in X], y).data
    assert after < before
