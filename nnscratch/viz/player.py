"""A player: one drawing, laid out once, with frames of data that step over it.

The drawing is a Graphviz graph whose elements carry ids (say ``v3`` for a node and
``e5`` for an arrow). Each `Frame` says what the drawing shows at that moment: the
text of every *slot* (a line of text inside a node that changes from frame to frame,
such as a gradient), which elements are highlighted and how, and a caption. The HTML
holds the drawing once and the frames as data; a small inline script applies them, so
frames never jump and the page stays small. It needs no kernel, no network and no
file beside it.

Where no script runs (an untrusted notebook, a viewer that strips scripts) the player
degrades to a still picture of the last frame with its caption and a note saying how
to get the controls. The drawing is stored as an ``<img>`` with the SVG as a
``data:`` URL: HTML sanitizers keep it, and the script turns it into inline SVG.

The backprop player (`nnscratch.viz.backprop`) is one use; anything drawn with ids and
described frame by frame can use the same machinery (see `Player`).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .dot import GraphDrawing
from .player_assets import SCRIPT, STYLE

__all__ = ["Frame", "Player", "side_by_side", "LINE_KINDS"]

# How a caption line is shown: a formula that adds, one that sets, one that loses
# something (shown as a warning), a sentence.
LINE_KINDS = ("add", "set", "lost", "note")

# Graphviz's SVG marks a node or an arrow as a group with its id.
_GROUP = re.compile(r'<g id="(?P<id>[^"]+)" class="(?:node|edge)">(?P<body>.*?)</g>', re.S)
_TEXT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.S)


@dataclass(frozen=True)
class Frame:
    """What the drawing shows at one moment.

    ``texts`` holds the text of each of the player's slots, in order. ``current``,
    ``changed``, ``lost`` and ``edges`` are element ids drawn highlighted: the node
    being worked on, nodes just changed, nodes that lost something, and arrows.
    ``label`` names the frame (``"Step 2 of 5"``); ``title`` and ``lines`` are its
    caption, each line a ``(kind, text)`` pair with a kind from `LINE_KINDS`.
    """

    texts: tuple[str, ...]
    label: str
    title: str
    lines: tuple[tuple[str, str], ...] = ()
    current: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()

    def data(self) -> dict[str, Any]:
        """The frame as the page's script reads it."""
        return {"t": list(self.texts), "label": self.label, "title": self.title,
                "lines": [list(line) for line in self.lines], "cur": list(self.current),
                "chg": list(self.changed), "lost": list(self.lost), "edges": list(self.edges)}

    def transcript(self) -> str:
        """The frame's caption as plain text."""
        return "\n".join([f"{self.label}: {self.title}"] + [f"    {t}" for _, t in self.lines])


@dataclass(frozen=True)
class Player:
    """A drawing and its frames, displayed as self-contained HTML (``_repr_html_``).

    ``slots`` pairs each changing line of text with the element it sits in:
    ``(element id, text the drawing is laid out with)``. Lay the drawing out with the
    widest text each slot will hold, so that every frame fits in the same boxes;
    `widest` picks it. The still picture shown without a script is the last frame.

    To build another kind of player (say, for a tree of nodes), draw it with ids,
    choose the slots, and describe each moment as a `Frame`.
    """

    drawing: GraphDrawing
    slots: tuple[tuple[str, str], ...]
    frames: tuple[Frame, ...]
    description: str
    heading: str | None = None
    seconds_per_frame: float = 1.2

    def __post_init__(self) -> None:
        if not self.frames:
            raise ValueError("a player needs at least one frame")
        for k, frame in enumerate(self.frames):
            if len(frame.texts) != len(self.slots):
                raise ValueError(
                    f"frame {k} has {len(frame.texts)} texts for {len(self.slots)} slots")
            for kind, _ in frame.lines:
                if kind not in LINE_KINDS:
                    raise ValueError(f"frame {k}: line kind {kind!r} is not one of {LINE_KINDS}")
        check_seconds(self.seconds_per_frame, "seconds_per_frame")

    def __repr__(self) -> str:
        return "\n".join(frame.transcript() for frame in self.frames)

    def _repr_html_(self) -> str:
        return self.html()

    @property
    def uid(self) -> str:
        """An id for this player, the same on every run: a hash of what it shows
        (never of the layout, which depends on the Graphviz version)."""
        content = self.drawing.source + "\0" + self._data_json() + "\0" + (self.heading or "")
        return "nnscratch-player-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]

    def _data_json(self) -> str:
        data = {"slots": [key for key, _ in self.slots],
                "interval": round(self.seconds_per_frame * 1000),
                "frames": [frame.data() for frame in self.frames]}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        # Safe inside <script>: no "</script>", "<!--" or "&" can appear in it.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    def html(self) -> str:
        """The player as one block of HTML, with its style, data and script inline."""
        return self._rendered

    @functools.cached_property
    def _rendered(self) -> str:
        last = self.frames[-1]
        svg = still_svg(self.drawing.svg().strip(), self.slots, last.texts)
        uid = self.uid
        esc = html.escape
        heading = f'<div class="nnp-heading">{esc(self.heading)}</div>' if self.heading else ""
        lines = "".join(f'<li class="nnp-{kind}">{esc(text)}</li>' for kind, text in last.lines)
        n = len(self.frames) - 1
        alt = f"{self.description}, as after the last step"
        return (
            f'<div class="nnscratch-player" id="{uid}" data-step="{n}" tabindex="0" role="group" '
            f'aria-label="{esc(self.description)}" data-lm-suppress-shortcuts="true">'
            f"<style>{STYLE}</style>{heading}"
            f'<div class="nnp-drawing"><img src="{svg_data_url(svg)}" alt="{esc(alt)}" '
            'style="max-width:none;height:auto"></div>'
            '<div class="nnp-controls" hidden="hidden" style="display:none">'
            '<button type="button" data-action="first" aria-label="First frame">|&#x25C0;</button>'
            '<button type="button" data-action="prev" aria-label="Previous step">&#x25C0;</button>'
            '<button type="button" data-action="play" aria-pressed="false">Play</button>'
            '<button type="button" data-action="next" aria-label="Next step">&#x25B6;</button>'
            '<button type="button" data-action="last" aria-label="Last step">&#x25B6;|</button>'
            f'<input type="range" class="nnp-slider" min="0" max="{n}" value="{n}" step="1" '
            f'aria-label="Frame" aria-controls="{uid}">'
            f'<span class="nnp-counter" aria-live="polite">{esc(last.label)}</span></div>'
            '<div class="nnp-caption">'
            f'<div class="nnp-title">{esc(last.label)}: {esc(last.title)}</div>'
            f'<ul class="nnp-lines">{lines}</ul></div>'
            '<p class="nnp-static">This is the last frame. The controls that step through '
            "every frame need JavaScript, which this viewer does not run here: in JupyterLab "
            "or Jupyter Notebook, trust the notebook (or run the cell again); in VS Code, "
            "trust the workspace; or read the course book.</p>"
            f'<script type="application/json" class="nnp-data">{self._data_json()}</script>'
            f"<script>{SCRIPT}</script></div>"
        )


def check_seconds(seconds: Any, name: str) -> None:
    """``seconds`` must be a positive, finite number."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
            or not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {seconds!r}")


def side_by_side(*players: Player) -> SideBySide:
    """Several players in a row that wraps (one under the other on a phone), each
    with its own controls: for comparing, say, a buggy engine with the fixed one."""
    if not players:
        raise ValueError("side_by_side needs at least one player")
    for p in players:
        if not isinstance(p, Player):
            raise TypeError(f"side_by_side takes players, got {type(p).__name__}")
    return SideBySide(players)


@dataclass(frozen=True)
class SideBySide:
    players: tuple[Player, ...]

    def __repr__(self) -> str:
        return "\n\n".join(repr(p) for p in self.players)

    def _repr_html_(self) -> str:
        players = "".join(p.html() for p in self.players)
        return f'<div class="nnscratch-players">{players}</div>'


# -- the SVG -------------------------------------------------------------------------------


def still_svg(svg: str, slots: Sequence[tuple[str, str]], texts: Sequence[str]) -> str:
    """``svg`` with each slot's laid-out text replaced by ``texts`` (the last frame's):
    the picture shown where no script runs, and what the script starts from. In each
    element the last line of text that reads as laid out is the slot."""
    wanted = {key: (layout, new) for (key, layout), new in zip(slots, texts)}
    missing = set(wanted)

    def group(match: re.Match) -> str:
        key = match["id"]
        if key not in wanted:
            return match[0]
        layout, new = wanted[key]
        body = match["body"]
        hits = [m for m in _TEXT.finditer(body) if html.unescape(m[2]) == layout]
        if not hits:
            return match[0]
        missing.discard(key)
        m = hits[-1]
        body = body[: m.start(2)] + html.escape(new, quote=False) + body[m.end(2):]
        return match[0][: match.start("body") - match.start()] + body + "</g>"

    result = _GROUP.sub(group, svg)
    if missing:
        raise ValueError(f"the drawing has no text to change for slots {sorted(missing)}")
    return result


def svg_data_url(svg: str) -> str:
    """``svg`` as a ``data:`` URL for the ``src`` attribute of an ``<img>``.

    Only what must be is escaped: ``%``, ``#`` and the attribute's quote for the URL,
    line breaks (which URLs drop), ``&`` for HTML. The SVG's own text stays readable,
    from ``<?xml`` to ``</svg>``, so a test that masks drawings finds it.
    """
    for ch, code in (("%", "%25"), ("#", "%23"), ('"', "%22"), ("\n", "%0A"), ("\r", "%0D"),
                     ("\t", "%09")):
        svg = svg.replace(ch, code)
    return "data:image/svg+xml;charset=utf-8," + svg.replace("&", "&amp;")


# Helvetica's widths, in thousandths of the font size, of the characters numbers use.
_WIDTHS = {**dict.fromkeys("0123456789", 556), "-": 333, ".": 278, "+": 584, "e": 556,
           " ": 278, "i": 222, "n": 556, "f": 278, "a": 556}


def widest(texts: Sequence[str]) -> str:
    """The text that is widest on the page (roughly, as Helvetica sets it); the first
    of those tied."""
    return max(texts, key=lambda t: sum(_WIDTHS.get(ch, 600) for ch in t))
