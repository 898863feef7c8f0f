"""Run chapters the way Google Colab does: each alone, set-up cell first.

    python tools/colab_check.py              chapters 02, 09, 10 and 11 (make colab-check)
    python tools/colab_check.py 03 07        those chapters
    python tools/colab_check.py all          all twelve

What stands in for what:

* Colab's runtime: a fresh virtual environment holding what Colab has preinstalled
  that the chapters use (NumPy, matplotlib, scikit-learn, PyTorch when the project's
  environment has it, an IPython kernel) and no nnscratch. Its kernel imports a
  stand-in `google.colab` at start, as Colab's does, so the set-up cell runs. There
  is no `dot` program on its PATH, as there need not be on Colab.
* GitHub: a git repository holding this working tree as one commit on the branch the
  Colab button opens; a temporary git configuration sends the repository URL there
  (``url.<stand-in>.insteadOf``). Nothing else of this repository is reachable.
* Opening a chapter from the Colab button: the notebook alone, copied into an empty
  folder, run top to bottom.

A chapter passes when no cell fails, the set-up cell prints nothing, the chapter used
the installed package (not this working tree) with its pip-installed `dot`, PyTorch
was there for the chapters that import it, and the install added the package and its
`viz` extra while leaving every preinstalled package as it was.

Then the failure path: the set-up cell run with the network gone (the repository URL
sent to a closed port on this machine) and with the branch missing must fail with the
one line that ``tools/setup_cell.py`` (and the book's set-up page) gives.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))

import setup_cell  # noqa: E402

ROOT = setup_cell.ROOT
# Chapters chosen to cover what a learner's Colab session must do: draw computation
# graphs (02) and trees (09), check exercises (all four), NumPy with PyTorch (10), and
# NumPy with scikit-learn's bundled digits (11).
DEFAULT_CHAPTERS = ["02", "09", "10", "11"]
# What Colab provides that the chapters import.
COLAB_PACKAGES = ["numpy", "matplotlib", "scikit-learn", "ipykernel"]
CELL_TIMEOUT = 600  # seconds: the set-up cell downloads the build tools
KERNEL = "colab"  # the kernel spec that runs the stand-in runtime's python

PROBE = """\
import json, shutil, sys
import nnscratch
facts = {"file": nnscratch.__file__, "version": nnscratch.__version__,
         "dot_on_path": shutil.which("dot"), "torch": "torch" in sys.modules}
if "nnscratch.viz" in sys.modules:
    facts["dot_used"] = sys.modules["nnscratch.viz"].find_dot()
print(json.dumps(facts))"""


def say(message: str) -> None:
    print(message, flush=True)


def run(*args: str | Path, **kwargs) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise SystemExit(f"colab-check: {' '.join(map(str, args))} failed:\n{done.stderr}")
    return done.stdout


# --- GitHub's stand-in ---------------------------------------------------------------

def working_tree_files(root: Path) -> list[str]:
    """The files git would commit here: tracked or not ignored, and present."""
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z",
                 cwd=root).split("\0")
    return sorted(f for f in set(listed) if f and (root / f).is_file())


def snapshot(root: Path, into: Path, branch: str) -> Path:
    """A git repository at ``into`` holding the working tree as one commit on
    ``branch``, its default branch (what GitHub would serve once this is pushed)."""
    into.mkdir(parents=True)
    for name in working_tree_files(root):
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, into / name)
    identity = ["-c", "user.name=colab-check", "-c", "user.email=colab-check@localhost"]
    run("git", "init", "--quiet", f"--initial-branch={branch}", cwd=into)
    run("git", "add", "--all", cwd=into)
    run("git", *identity, "commit", "--quiet", "--message", "the working tree", cwd=into)
    return into


def git_config(path: Path, url: str, stand_in: str) -> Path:
    path.write_text(f'[url "{stand_in}"]\n\tinsteadOf = {url}\n', encoding="utf-8")
    return path


# --- Colab's stand-in ----------------------------------------------------------------

def torch_version() -> str | None:
    """The PyTorch the project's environment has (make torch: the CPU build), if any."""
    try:
        return importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return None


def install_torch(python: Path, version: str) -> None:
    """That PyTorch, from the package sources pip is set up with, else from PyTorch's
    own index (where the +cpu builds live)."""
    plain = subprocess.run([python, "-m", "pip", "install", "--quiet", f"torch=={version}"],
                           capture_output=True, text=True)
    if plain.returncode != 0:
        run(python, "-m", "pip", "install", "--quiet", f"torch=={version}",
            "--extra-index-url", "https://download.pytorch.org/whl/cpu")


def make_runtime(where: Path) -> Path:
    """The virtual environment standing in for Colab's runtime; returns its python."""
    venv.EnvBuilder(with_pip=True).create(where)
    python = where / "bin" / "python"
    say(f"  installing {', '.join(COLAB_PACKAGES)} into a fresh environment")
    run(python, "-m", "pip", "install", "--quiet", *COLAB_PACKAGES)
    torch = torch_version()
    if torch:
        say(f"  installing torch {torch}, as Colab has PyTorch")
        install_torch(python, torch)
    else:
        say("  note: the project's environment has no PyTorch (make torch), so neither "
            "has this one; the chapters skip their PyTorch cells")
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    colab = site / "google" / "colab"
    colab.mkdir(parents=True)
    (colab / "__init__.py").write_text('"""Stands in for Colab\'s module."""\n')
    return python


def kernel_env(python: Path, home: Path, gitconfig: Path) -> dict[str, str]:
    """The kernel's environment: this one without anything that would let it see the
    working tree, another environment or a `dot`, and with the git configuration."""
    tools = home / "tools"
    tools.mkdir(exist_ok=True)
    git = shutil.which("git")
    if not (tools / "git").exists():
        (tools / "git").symlink_to(git)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA", "JUPYTER", "IPYTHON", "GIT_"))}
    env.update(PATH=f"{python.parent}{os.pathsep}{tools}", GIT_CONFIG_GLOBAL=str(gitconfig),
               GIT_CONFIG_NOSYSTEM="1", IPYTHONDIR=str(home / "ipython"),
               MPLCONFIGDIR=str(home / "matplotlib"))
    startup = home / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-colab.py").write_text("import google.colab  # as Colab's kernel does\n")
    return env


def installed(python: Path) -> dict[str, str]:
    lines = run(python, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check")
    return dict(line.split("==", 1) for line in lines.splitlines() if "==" in line)


def run_notebook(nb: nbformat.NotebookNode, folder: Path, env: dict) -> str | None:
    """Execute ``nb`` in ``folder`` (kept there as executed.ipynb); the error, or None."""
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute(env=env)
    except CellExecutionError as error:
        failed = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                       and any(o.output_type == "error" for o in c.get("outputs", []))), None)
        where = f"cell {failed}, " + repr(nb.cells[failed].source[:200]) if failed is not None else ""
        return f"{where}\n    {error.ename}: {error.evalue}"
    finally:
        nbformat.write(nb, folder / "executed.ipynb")
    return None


# --- the checks ----------------------------------------------------------------------

def allowed_additions() -> set[str]:
    """What the set-up cell may add: nnscratch and its `viz` extra's requirements."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    extra = re.search(rf"^{setup_cell.EXTRA} = \[(.*)\]$", text, re.M).group(1)
    names = re.findall(r'"([A-Za-z0-9_.-]+)', extra)
    return {normalise(n) for n in ["nnscratch", *names]}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def check_chapter(path: Path, work: Path, python: Path, env: dict,
                  base: dict[str, str]) -> list[str]:
    """Run the chapter at ``path`` alone, as opened from the Colab button."""
    folder = work / path.stem
    folder.mkdir()
    shutil.copy2(path, folder / path.name)
    nb = nbformat.read(folder / path.name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    started = time.monotonic()
    error = run_notebook(nb, folder, env)
    seconds = time.monotonic() - started
    failures = []
    if error:
        failures.append(f"a cell failed:\n{error}")
    else:
        setup = setup_cell.first_code_cell(nb)
        if setup.outputs:
            failures.append(f"the set-up cell printed something: {setup.outputs}")
        facts = json.loads(nb.cells[-1].outputs[-1]["text"])
        site = str(python.parent.parent)
        if not facts["file"].startswith(site):
            failures.append(f"nnscratch came from {facts['file']}, not the installed package")
        if facts["version"] != setup_cell.project_version():
            failures.append(f"the installed nnscratch is {facts['version']}")
        if facts["dot_on_path"]:
            failures.append(f"a system dot was on the kernel's PATH: {facts['dot_on_path']}")
        if "dot_used" in facts and not facts["dot_used"].startswith(site):
            failures.append(f"graphs were drawn with {facts['dot_used']}")
        imports_torch = any(re.search(r"^\s*import torch", c.source, re.M)
                            for c in nb.cells if c.cell_type == "code")
        if imports_torch and "torch" in base and not facts["torch"]:
            failures.append("PyTorch is installed but the chapter did not import it")
    now = installed(python)
    changed = {n: (v, now.get(n)) for n, v in base.items() if now.get(n) != v}
    added = {normalise(n) for n in now} - {normalise(n) for n in base}
    if changed:
        failures.append(f"the set-up cell changed preinstalled packages: {changed}")
    if not error and added - allowed_additions():
        failures.append(f"the set-up cell installed more than expected: {sorted(added)}")
    cells = sum(1 for c in nb.cells if c.cell_type == "code") - 1
    say(f"  {path.stem}: {'FAILED' if failures else 'ok'} ({cells} code cells, {seconds:.0f} s)")
    return failures


def check_failure(name: str, expected: str, work: Path, python: Path, env: dict,
                  base: dict[str, str]) -> list[str]:
    """Run the set-up cell alone where it cannot install; it must print ``expected``."""
    folder = work / f"failure-{name}"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(setup_cell.expected()))  # as every chapter has it
    run_notebook(nb, folder, env)
    outputs = nb.cells[0].outputs
    failures = []
    if [o.get("output_type") for o in outputs] != ["error"]:
        failures.append(f"expected one error output, got {outputs}")
    elif outputs[0]["traceback"] != [expected]:
        failures.append(f"printed {outputs[0]['traceback']}, not [{expected!r}]")
    if installed(python) != base:
        failures.append("a failed install changed the environment")
    shown = outputs[0]["traceback"][0] if outputs and "traceback" in outputs[0] else outputs
    say(f"  {name}: {'FAILED' if failures else 'ok'}, the cell says: {shown}")
    return failures


def restore(python: Path, base: dict[str, str]) -> None:
    """Uninstall what the last chapter's set-up cell added."""
    extra = sorted(set(installed(python)) - set(base))
    if extra:
        run(python, "-m", "pip", "uninstall", "--quiet", "--yes", *extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", default=DEFAULT_CHAPTERS,
                        help='chapter numbers (02 09 ...) or "all"')
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    every = setup_cell.chapters()
    wanted = every if args.chapters == ["all"] else [
        p for p in every if p.name[:2] in {c.zfill(2) for c in args.chapters}]
    if not wanted or (args.chapters != ["all"] and len(wanted) != len(args.chapters)):
        parser.error(f"no such chapters: {args.chapters}")

    repository = setup_cell.config()["repository"]
    url, branch = repository["url"], repository["branch"]
    work = Path(tempfile.mkdtemp(prefix="nnscratch-colab-"))
    failures: dict[str, list[str]] = {}
    try:
        say(f"GitHub's stand-in: this working tree as {branch} of {url}")
        github = snapshot(ROOT, work / "github", branch)
        say("Colab's stand-in:")
        python = make_runtime(work / "runtime")
        os.environ["JUPYTER_PATH"] = str(work / "jupyter")
        spec = work / "jupyter" / "kernels" / KERNEL
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                     "--IPKernelApp.log_level=ERROR"],
            "display_name": "Colab's stand-in", "language": "python"}))
        home = work / "home"
        home.mkdir()
        env = kernel_env(python, home, git_config(home / "gitconfig", url, github.as_uri()))
        base = installed(python)

        say("Each chapter alone, from the set-up cell on:")
        for path in wanted:
            restore(python, base)
            # The notebook as GitHub's stand-in holds it.
            chapter = github / path.relative_to(ROOT)
            failures[path.stem] = check_chapter(chapter, work, python, env, base)
        restore(python, base)

        say("A failed install:")
        messages = setup_cell.failure_messages(url, branch)
        # No network: the repository URL goes to a port on this machine nobody listens on.
        offline = kernel_env(python, home, git_config(home / "offline", url,
                                                      "http://127.0.0.1:1/nnscratch"))
        failures["no network"] = check_failure("no network", messages["offline"], work,
                                               python, offline, base)
        # The branch missing: the stand-in with the commit on another branch only.
        moved = work / "moved"
        run("git", "clone", "--quiet", "--bare", github, moved)
        run("git", "branch", "--move", branch, "elsewhere", cwd=moved)
        missing = kernel_env(python, home, git_config(home / "missing", url, moved.as_uri()))
        failures["missing ref"] = check_failure("missing ref", messages["missing"], work,
                                                python, missing, base)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            say("Removing the temporary environments")
            shutil.rmtree(work, ignore_errors=True)
    failed = {name: f for name, f in failures.items() if f}
    for name, problems in failed.items():
        print(f"\n{name}:", *problems, sep="\n  ", file=sys.stderr)
    say(f"\ncolab-check: {len(failures) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
