"""How the package installs and imports: the engine core needs only the standard
library, the version is the project's, the drawing code loads only when used, a module
that needs an extra says which, and the sdist and wheel carry the license."""

from __future__ import annotations

import email
import json
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

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


# --- every module that needs an extra says which ---------------------------------------

ALL_MODULES_SCRIPT = BLOCK + """
import importlib, json
from pathlib import Path

package = Path({package!r})
results = {{}}
for path in sorted(package.rglob("*.py")):
    parts = path.relative_to(package.parent).with_suffix("").parts
    name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    try:
        importlib.import_module(name)
        results[name] = "ok"
    except ImportError as error:
        results[name] = str(error)
# The names that load their drawing code only when used.
for name, use in [("nnscratch.draw_dot", "import nnscratch; nnscratch.draw_dot"),
                  ("nnscratch.tree.draw_tree", "from nnscratch.tree import draw_tree; draw_tree(None)")]:
    try:
        exec(use)
        results[name] = "ok"
    except ImportError as error:
        results[name] = str(error)
    except Exception:  # draw_tree(None) got past its imports
        results[name] = "ok"
print(json.dumps(results))
"""


@pytest.mark.parametrize("missing", ["numpy", "graphviz"])
def test_every_module_that_needs_an_extra_names_it(missing):
    from nnscratch._extras import EXTRAS

    script = ALL_MODULES_SCRIPT.format(name=missing, package=str(ROOT / "nnscratch"))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout.splitlines()[-1])
    extra = EXTRAS[missing][0]
    bare = {name: why for name, why in results.items()
            if why != "ok" and f"pip install 'nnscratch[{extra}]'" not in why}
    assert bare == {}, f"without {missing}, these fail without naming [{extra}]"
    failing = {name for name, why in results.items() if why != "ok"}
    # The check sees the modules it should: these need the dependency.
    needs = {"numpy": {"nnscratch.layers", "nnscratch.layers.tensor", "nnscratch.exercises.digits",
                       "nnscratch.exercises.layers", "nnscratch.exercises.speed"},
             "graphviz": {"nnscratch.viz", "nnscratch.draw_dot", "nnscratch.tree.draw_tree"}}
    assert needs[missing] <= failing, needs[missing] - failing
    assert "nnscratch.engine" not in failing and "nnscratch.nn" not in failing


# --- the license, in the repository and in what is built ------------------------------

def test_the_license_is_mit_for_the_nnscratch_authors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the nnscratch authors\n")
    assert "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND" in text


def test_pyproject_states_the_license_as_spdx_with_a_setuptools_that_reads_it():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', text, re.M)
    assert re.search(r'^license-files = \["LICENSE"\]$', text, re.M)
    assert "License ::" not in text  # a license classifier as well is an error now
    required = re.search(r'^requires = \["setuptools>=(\d+)', text, re.M)
    assert required and int(required.group(1)) >= 77  # the first to read an SPDX string
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert re.search(rf'^Repository = "{re.escape(config["repository"]["url"])}"$', text, re.M)


def tracked_files() -> list[str]:
    run = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        pytest.skip("not a git checkout: the files to build from are not known")
    return [f for f in run.stdout.split("\0") if f and (ROOT / f).is_file()]


BUILD = """
import sys
from setuptools import build_meta
print(getattr(build_meta, "build_" + sys.argv[1])(sys.argv[2]))
"""


def build(source: Path, what: str, out: Path) -> Path:
    """Build an sdist or a wheel with setuptools' PEP 517 hook (this environment's
    setuptools), in a process of its own as a build frontend would."""
    run = subprocess.run([sys.executable, "-c", BUILD, what, str(out)], cwd=source,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return out / run.stdout.splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """An sdist and a wheel built from a copy of the tracked files (as they are in the
    working tree), and a wheel built from that sdist (as pip does with one)."""
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip(f"setuptools {setuptools.__version__} is older than the build needs")
    tmp = tmp_path_factory.mktemp("build")
    source = tmp / "source"
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    artefacts = {what: build(source, what, tmp / "dist") for what in ("sdist", "wheel")}
    with tarfile.open(artefacts["sdist"]) as sdist:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        sdist.extractall(tmp / "unpacked", **safe)
    (unpacked,) = (tmp / "unpacked").iterdir()
    artefacts["wheel from sdist"] = build(unpacked, "wheel", tmp / "from-sdist")
    return artefacts


def wheel_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as wheel:
        return {name: wheel.read(name) for name in wheel.namelist()}


def test_the_sdist_holds_the_license_and_says_mit(built):
    license_text = (ROOT / "LICENSE").read_bytes()
    with tarfile.open(built["sdist"]) as sdist:
        names = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
        top = sdist.getmembers()[0].name.split("/")[0]
        assert sdist.extractfile(f"{top}/LICENSE").read() == license_text
        metadata = email.message_from_bytes(sdist.extractfile(f"{top}/PKG-INFO").read())
    tops = {name.split("/")[0] for name in names}
    needed = {"LICENSE", "README.md", "CHANGELOG.md", "PKG-INFO", "pyproject.toml", "nnscratch",
              "book"}
    assert needed <= tops <= needed | {"MANIFEST.in", "setup.cfg", "nnscratch.egg-info"}, tops
    # of the book, only the self-check questions, which the wheel carries as nnscratch/quizzes
    assert {n for n in names if n.startswith("book/") and n.endswith(".json")} == {
        f for f in tracked_files() if f.startswith("book/quizzes/") and f.endswith(".json")}
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["License"] is None


@pytest.mark.parametrize("which", ["wheel", "wheel from sdist"])
def test_the_wheel_holds_the_license_and_every_module(built, which):
    files = wheel_files(built[which])
    version = nnscratch.__version__
    info = f"nnscratch-{version}.dist-info"
    assert files[f"{info}/licenses/LICENSE"] == (ROOT / "LICENSE").read_bytes()
    metadata = email.message_from_bytes(files[f"{info}/METADATA"])
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["Version"] == version
    tracked = tracked_files()
    modules = {f for f in tracked if f.startswith("nnscratch/") and f.endswith(".py")}
    assets = {f for f in tracked if f.startswith("nnscratch/quiz/") and f.endswith((".css", ".js"))}
    questions = {"nnscratch/quizzes/" + f.removeprefix("book/quizzes/") for f in tracked
                 if f.startswith("book/quizzes/") and f.endswith(".json")}
    assert assets and questions
    packaged = {f for f in files if not f.startswith(info)}
    # every module, the questions' script and style, every chapter's questions; nothing else
    assert packaged == modules | assets | questions
