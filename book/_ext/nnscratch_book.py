"""Small fixes to the HTML the book's toolchain writes.

Sphinx 7 lists an inline script that an extension adds after the builder has started
twice on every page (once as it is added, once more when pages are written); for
sphinx-thebe's ``const THEBE_JS_URL = ...`` the second copy is a JavaScript error in
every reader's console. Each page here keeps the first copy of every script only.
"""

from __future__ import annotations

from typing import Any


def _key(script: Any) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (getattr(script, "filename", str(script)) or "", tuple(sorted(attributes.items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept  # a new list: the builder's own stays as it was


def setup(app) -> dict:
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
