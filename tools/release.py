"""Make a release, or rewrite the chapters' set-up cells.

    python tools/release.py cells     write the set-up cell into every chapter
    python tools/release.py check     say whether everything that names the version,
                                      the repository or the branch agrees (exit 1 if not)
    python tools/release.py 0.2.0     release 0.2.0 (make release VERSION=0.2.0)

A release happens in one step, on the branch the book is published from, in a clean
tree: the version is set in ``pyproject.toml``, ``nnscratch/__init__.py`` and
``_config.yml`` (the ``version`` substitution and the footer); the changelog's
unreleased section gets the version and today's date; every chapter's set-up cell is
rewritten; then one commit and the tag ``v<version>`` are made. Pushing them is left
to the person releasing.

The set-up cells install from the branch the Colab button opens, not from the tag: the
button opens that branch's notebook, and a tag would stop matching it as soon as the
branch moves on. The tag marks the release for anyone who wants it later
(``pip install "nnscratch @ git+<repository>@v0.2.0"``).
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import setup_cell  # noqa: E402

VERSION = re.compile(r"^\d+\.\d+\.\d+$")
# "## 0.1.0 — unreleased" or "## Unreleased": the section that collects changes.
UNRELEASED = re.compile(r"^## (?:\S+ — unreleased|Unreleased)$")


def changelog_version(text: str) -> str | None:
    """The version the changelog's first versioned section is about (an "Unreleased"
    section above it is for changes not yet given a version)."""
    for heading in re.findall(r"^## (\S+)", text, re.M):
        if heading != "Unreleased":
            return heading
    return None


class ReleaseError(Exception):
    """Something that must be put right before the release can be made."""


def read(root: Path, name: str) -> str:
    return (root / name).read_text(encoding="utf-8")


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def substitute(text: str, pattern: str, replacement: str, name: str) -> str:
    """Replace the one match of ``pattern`` (a regex with one group, the version)."""
    new, count = re.subn(pattern, lambda m: m.group(0).replace(m.group(1), replacement),
                         text, flags=re.M)
    if count != 1:
        raise ReleaseError(f"{name}: expected one match of {pattern!r}, found {count}")
    return new


# Where the version is written, besides the changelog and the cells: the file, what the
# version is there, and a pattern whose one group is the version.
VERSION_PLACES = [
    ("pyproject.toml", "the project's version", r'^version = "([^"]+)"$'),
    ("nnscratch/__init__.py", "__version__", r'^__version__ = "([^"]+)"$'),
    ("_config.yml", "the {{ version }} substitution", r'^    version: "([^"]+)"'),
    ("_config.yml", "the footer", r"<p>nnscratch (\S+) · "),
]


def versions(root: Path) -> dict[str, str]:
    """Each place that names the version, and the version it names."""
    found = {}
    for name, what, pattern in VERSION_PLACES:
        match = re.search(pattern, read(root, name), re.M)
        found[f"{name}, {what},"] = match.group(1) if match else "(nothing)"
    return found


def set_version(root: Path, version: str) -> None:
    for name, _, pattern in VERSION_PLACES:
        write(root, name, substitute(read(root, name), pattern, version, name))


def date_changelog(root: Path, version: str, date: str) -> None:
    text = read(root, "CHANGELOG.md")
    first = re.search(r"^## .*$", text, re.M)
    unreleased = UNRELEASED.match(first.group(0)) if first else None
    if not unreleased:
        raise ReleaseError(
            "CHANGELOG.md: its first section is not an unreleased one. Add "
            '"## Unreleased" at the top, with what changed since the last release.')
    body = text[first.end():]
    following = re.search(r"^## ", body, re.M)
    if not re.search(r"^- ", body[:following.start() if following else None], re.M):
        raise ReleaseError("CHANGELOG.md: the unreleased section lists no changes")
    heading = f"## {version} — {date}"
    write(root, "CHANGELOG.md", text[:first.start()] + heading + body)


def write_cells(root: Path) -> list[Path]:
    """Rewrite every chapter's set-up cell; the chapters that changed."""
    text = setup_cell.expected(root)
    return [path for path in setup_cell.chapters(root)
            if setup_cell.write_setup_cell(path, text)]


def problems(root: Path) -> list[str]:
    """Everything that does not agree with pyproject.toml's version and _config.yml's
    repository: the other version places, the changelog, the set-up cells."""
    found = []
    version = setup_cell.project_version(root)
    for place, named in versions(root).items():
        if named != version:
            found.append(f"{place} says {named}, not {version}")
    named = changelog_version(read(root, "CHANGELOG.md"))
    if named != version:
        found.append(f"CHANGELOG.md, its first version, says {named}, not {version}")
    expected = setup_cell.expected(root)
    for path in setup_cell.chapters(root):
        if setup_cell.read_setup_cell(path) != expected:
            found.append(f"{path.relative_to(root)}: the set-up cell is not the current one "
                         "(python tools/release.py cells rewrites it)")
    return found


def git(root: Path, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if run.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)}: {run.stderr.strip()}")
    return run.stdout.strip()


def as_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def release(root: Path, version: str, date: str) -> None:
    """Set ``version`` everywhere, date the changelog, rewrite the cells; commit, tag."""
    if not VERSION.match(version):
        raise ReleaseError(f"{version!r} is not a version like 0.2.0")
    current = setup_cell.project_version(root)
    if as_tuple(version) < as_tuple(current):
        raise ReleaseError(f"{version} is older than the current version, {current}")
    if version == current and not re.search(rf"^## {re.escape(current)} — unreleased$",
                                            read(root, "CHANGELOG.md"), re.M):
        raise ReleaseError(f"{current} is released already; give the next version")
    branch = setup_cell.config(root)["repository"]["branch"]
    on = git(root, "rev-parse", "--abbrev-ref", "HEAD")
    if on != branch:
        raise ReleaseError(f"releases are made on {branch} (the branch the book and its Colab "
                           f"button use); this is {on}")
    if git(root, "status", "--porcelain"):
        raise ReleaseError("the working tree has uncommitted changes; commit or stash them")
    tag = f"v{version}"
    if git(root, "tag", "--list", tag):
        raise ReleaseError(f"the tag {tag} exists already")
    before = problems(root)
    if before:
        raise ReleaseError("these disagree before the release:\n  " + "\n  ".join(before))

    try:
        date_changelog(root, version, date)
        set_version(root, version)
        write_cells(root)
        after = problems(root)
        if after:
            raise ReleaseError("the release left these disagreeing:\n  " + "\n  ".join(after))
    except BaseException:
        git(root, "checkout", "--", ".")  # nothing half done is left behind
        raise
    git(root, "commit", "--quiet", "--all", "--message", f"Release {version}")
    git(root, "tag", "--annotate", tag, "--message", f"nnscratch {version}")
    print(f"Released {version}: commit {git(root, 'rev-parse', '--short', 'HEAD')}, tag {tag}.")
    print(f"Publish it with: git push origin {branch} {tag}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", help='"cells", "check", or the version to release (0.2.0)')
    parser.add_argument("--root", type=Path, default=setup_cell.ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--date", default=datetime.date.today().isoformat(),
                        help="the release date for the changelog (default: today)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.what == "cells":
            changed = write_cells(root)
            print(f"{len(changed)} set-up cells rewritten" + "".join(
                f"\n  {p.relative_to(root)}" for p in changed))
        elif args.what == "check":
            found = problems(root)
            for problem in found:
                print(problem)
            if found:
                return 1
            print(f"version {setup_cell.project_version(root)}: everything agrees")
        else:
            release(root, args.what, args.date)
    except ReleaseError as error:
        print(f"release.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
