"""How the package installs and imports: the engine core needs only the standard
library, the version is the project's, and the drawing code loads only when used."""

from __future__ import annotations

import json
import subprocess
import sys
import re
import textwrap
from pathlib import Path

import pytest

import nnscratch

ROOT = Path(__file__).resolve().parent.parent
THIRD_PARTY = ["numpy", "graphviz", "matplotlib", "torch", "sklearn", "scipy", "IPython"]


def modules_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; return which of THIRD_PARTY it loaded."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps({{name: name in sys.modules for name in {THIRD_PARTY!r}}}))
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_the_engine_core_imports_no_third_party_module():
    loaded = modules_after(
        """
        import nnscratch
        import nnscratch.engine, nnscratch.nn, nnscratch.losses, nnscratch.optim, nnscratch.data, nnscratch.gradcheck
        from nnscratch import Value, MLP
        from nnscratch.data import make_moons
        X, y = make_moons()
        model = MLP(2, [4, 1])
        model(X[0]).backward()
        """
    )
    assert not any(loaded.values()), loaded


def test_the_exercise_framework_imports_no_third_party_module():
    loaded = modules_after("import nnscratch.exercises, nnscratch.exercises.core")
    assert not any(loaded.values()), loaded


def test_the_check_itself_can_see_a_loaded_module():
    # The helper is able to report a third-party import (so the tests above can fail).
    assert modules_after("import json, graphviz")["graphviz"] is True


def test_version_matches_pyproject():
    text = (ROOT / "pyproject.toml").read_text()
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # Python 3.10: the two fields are simple enough to read directly
        version = re.search(r'^version = "([^"]+)"', text, re.M).group(1)
        dependencies = re.search(r"^dependencies = \[(.*?)\]", text, re.M | re.S).group(1).strip()
        project = {"version": version, "dependencies": [dependencies] if dependencies else []}
    else:
        project = tomllib.loads(text)["project"]
    assert nnscratch.__version__ == project["version"]
    assert project["dependencies"] == []  # the engine needs nothing installed


def test_draw_dot_is_imported_lazily():
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                import nnscratch
                assert "nnscratch.viz" not in sys.modules and "graphviz" not in sys.modules
                draw = nnscratch.draw_dot
                import nnscratch.viz
                assert draw is nnscratch.viz.draw_dot
                assert nnscratch.trace is nnscratch.viz.trace
                assert "graphviz" in sys.modules
                from nnscratch import draw_dot
                assert draw_dot is draw
                print("ok")
                """
            ),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_every_public_name_resolves():
    pytest.importorskip("graphviz", reason="draw_dot and trace need the graphviz package")
    for name in nnscratch.__all__:
        assert getattr(nnscratch, name) is not None


def test_an_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'draw_dots'"):
        nnscratch.draw_dots  # noqa: B018
    assert not hasattr(nnscratch, "Tensor")


BLOCK = """
import sys

class Missing:
    # Pretend {name} is not installed: every import of it fails.
    def find_spec(self, fullname, path=None, target=None):
        if fullname == {name!r} or fullname.startswith({name!r} + "."):
            raise ModuleNotFoundError(f"No module named {{fullname!r}}")

sys.meta_path.insert(0, Missing())
"""


@pytest.mark.parametrize(
    "module, missing, extra",
    [
        ("nnscratch.layers", "numpy", "arrays"),
        ("nnscratch.exercises.digits", "numpy", "arrays"),
        ("nnscratch.exercises.layers", "numpy", "arrays"),
        ("nnscratch.exercises.speed", "numpy", "arrays"),
        ("nnscratch.viz", "graphviz", "viz"),
    ],
)
def test_a_missing_extra_is_named(module, missing, extra):
    script = BLOCK.format(name=missing) + f"import {module}\n"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: "), last
    assert f"pip install 'nnscratch[{extra}]'" in last and missing in last, last


def test_the_extras_named_exist_in_pyproject():
    from nnscratch._extras import EXTRAS

    text = (ROOT / "pyproject.toml").read_text()
    for module, (extra, dist) in EXTRAS.items():
        line = re.search(rf"^{extra} = \[(.*)\]$", text, re.M)
        assert line and f'"{dist}' in line.group(1), (module, extra)
