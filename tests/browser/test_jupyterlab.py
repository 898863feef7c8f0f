"""Hints and solutions as a learner meets them in a notebook: a real JupyterLab (the
course's own, started on 127.0.0.1 for this test) opens chapter 1, and headless
Chromium looks at its exercises in the light and the dark theme.

JupyterLab renders a markdown cell's HTML through its sanitizer, which drops what it
does not allow; the dropdowns must come through it still styled (the box's coloured
edge and tint) and still folding. Screenshots land in _build/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from book_pages import CHROMIUM_ARGS, ROOT, chapter_files

pytestmark = pytest.mark.book

CHAPTER = Path(f"{chapter_files()[0]}.ipynb")

# JupyterLab's own settings for the test: every cell rendered (not only those scrolled
# to), no prompt about news, and the app reachable from the page for its commands.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory, chromium):
    home = tmp_path_factory.mktemp("jupyterlab")
    work = home / "work"
    work.mkdir()
    shutil.copy(ROOT / CHAPTER, work / CHAPTER.name)
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port = free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
        "--ServerApp.password=", f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    log = (home / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to a minute for the server to answer
            if server.poll() is not None:
                pytest.fail("JupyterLab stopped:\n" + (home / "jupyterlab.log").read_text())
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("JupyterLab did not start:\n" + (home / "jupyterlab.log").read_text())
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


BOXES = r"""
() => [...document.querySelectorAll(".jp-MarkdownOutput :is(.nnscratch-hint, .nnscratch-solution)")].map(b => {
  const s = getComputedStyle(b), d = b.querySelector("details");
  return {kind: b.className, styled: b.hasAttribute("style"), edge: parseFloat(s.borderLeftWidth),
          edgeColour: s.borderLeftColor, tint: s.backgroundColor, open: !!(d && d.open),
          summary: d ? d.querySelector("summary").textContent.trim() : ""};
})
"""


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_hints_and_solutions_are_styled_dropdowns_in_jupyterlab(jupyterlab, browser, theme):
    context = browser.browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{jupyterlab}/lab/tree/{CHAPTER.name}", wait_until="load")
        page.wait_for_function("() => window.jupyterapp && "
                               "window.jupyterapp.commands.hasCommand('apputils:change-theme')",
                               timeout=60_000)
        page.evaluate("theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme)
        page.wait_for_function("theme => document.body.dataset.jpThemeName === theme", arg=theme,
                               timeout=30_000)
        page.locator(".jp-MarkdownOutput .nnscratch-solution").first.wait_for(timeout=60_000)
        boxes = page.evaluate(BOXES)
        assert boxes, "no hint or solution boxes in the notebook"
        for box in boxes:
            assert box["styled"], f"{box['summary']}: JupyterLab dropped the box's style"
            assert box["edge"] >= 3, f"{box['summary']}: no coloured edge"
            assert box["tint"] not in ("rgba(0, 0, 0, 0)", "transparent"), box["summary"]
            assert not box["open"], f"{box['summary']} is unfolded before a click"
        assert {b["summary"] for b in boxes} >= {"Hint 1", "Solution"}

        first = page.locator(".jp-MarkdownOutput .nnscratch-hint").first
        first.locator("summary").click()
        assert first.locator("details").evaluate("d => d.open")
        solution = page.locator(".jp-MarkdownOutput .nnscratch-solution").first
        solution.locator("summary").click()
        assert solution.locator("pre").first.is_visible(), "the solution's code is not shown"
        first.scroll_into_view_if_needed()
        name = theme.split()[-1].lower()
        page.screenshot(path=str(browser.screenshots / f"jupyterlab-hints-{name}.png"))
    finally:
        context.close()
