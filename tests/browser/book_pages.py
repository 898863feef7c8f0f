"""What the browser tests need besides the tests themselves: the pages the table of
contents lists, a local web server for the built book, and one visit per page that
records everything the tests then assert on (console errors, images, links, figures,
math, layout).
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from book_files import ROOT, chapter_files, config, project_version, toc_files  # noqa: F401

# Debian's Chromium, driven headless with nothing that reaches out to the network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

# Window sizes the pages are seen at.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# --- the book's pages ----------------------------------------------------------------

def expected_figures(notebook: Path) -> int:
    """How many images (plots, draw_dot graphs) the page of ``notebook`` should show.

    Counts the stored image outputs, leaving out the cells the book removes, and outputs
    that also carry HTML (the book shows the HTML for those).
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"remove-cell", "remove-output", "remove_cell", "remove_output"}:
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" not in data and any(k.startswith("image/") for k in data):
                count += 1
    return count


# --- serving the built book --------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class BookServer:
    """The built HTML served on an unused port of 127.0.0.1, in a background thread."""

    def __init__(self, html: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(html))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> BookServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- one visit to a page -------------------------------------------------------------

@dataclass
class Visit:
    """What one page showed: errors, requests that failed, and the DOM facts in `dom`."""

    path: str
    url: str
    mode: str
    status: int
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_external: list[str] = field(default_factory=list)
    mathjax_ready: bool = False
    dom: dict = field(default_factory=dict)
    layout: dict = field(default_factory=dict)
    figure_text: list[dict] = field(default_factory=list)
    figure_pixels: list[dict] = field(default_factory=list)


# Everything the tests read from a page, gathered in the page in one go.
DOM_FACTS = r"""
() => {
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const box = el => { const r = el.getBoundingClientRect(); return {x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height}; };
  const shown = el => {
    if (el.closest("details:not([open])")) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || parseFloat(s.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const images = [...document.images].map((img, i) => ({
    index: i,
    src: img.currentSrc || img.src,
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    inArticle: article.contains(img),
    inOutput: !!img.closest(".cell_output"),
    folded: !!img.closest("details:not([open])"),
    shown: shown(img),
    box: box(img),
    background: getComputedStyle(img).backgroundColor,
    filter: getComputedStyle(img).filter,
  }));
  // Inline SVG outputs (not the copy buttons' icons, not an SVG nested in another, not
  // a backprop player's drawing, which its own tests check).
  const svgs = [...article.querySelectorAll(".cell_output svg")]
      .filter(s => !s.closest("button, .copybtn, .nnscratch-player") && !s.parentElement.closest("svg"))
      .map(s => ({shown: shown(s), box: box(s)}));
  const maths = [...article.querySelectorAll(".math")];
  const untypeset = maths.filter(m => !m.querySelector("mjx-container")).map(m => m.textContent.slice(0, 80));
  const links = [...document.querySelectorAll("a[href]")].map(a => a.href);
  const launch = [...document.querySelectorAll("a[href]")].filter(a => /colab\.research\.google\.com|mybinder\.org|\.ipynb$/.test(a.href))
      .map(a => ({href: a.href, text: a.textContent.trim(), download: a.hasAttribute("download")}));

  // Phone layout: the page must not scroll sideways; anything wider than the window has
  // to sit inside a box that scrolls (code, outputs, graphs, tables, display math).
  const vw = document.documentElement.clientWidth;
  const scrolls = e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  const offenders = [];
  for (const el of article.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= vw + 1 && r.left >= -1) continue;
    if (el.closest("details:not([open])")) continue;
    // Text for screen readers only (MathJax's MathML copy of each formula): clipped
    // to nothing on screen, so it cannot widen the page.
    if (el.closest("mjx-assistive-mml, .sr-only, .visually-hidden")) continue;
    let contained = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p)) { const pr = p.getBoundingClientRect(); contained = pr.right <= vw + 1 && pr.left >= -1; break; }
    }
    if (!contained) offenders.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(r.right)}`);
  }
  window.scrollTo(10000, window.scrollY);
  const sideways = window.scrollX;
  window.scrollTo(0, window.scrollY);

  const footer = [...document.querySelectorAll("footer")].map(f => f.innerText).join("\n");
  const exercises = [...article.querySelectorAll(".admonition-title .caption-number")]
      .map(t => t.textContent.trim()).filter(t => t.startsWith("Exercise"));
  const h1 = article.querySelector("h1");
  const number = h1 && h1.querySelector(".section-number") ? h1.querySelector(".section-number").textContent.trim() : "";
  return {
    title: document.title,
    theme: document.documentElement.dataset.theme || "",
    pageBackground: getComputedStyle(document.body).backgroundColor,
    images, svgs, links, launch, footer, number, exercises,
    mathCount: maths.length, untypeset,
    mathErrors: article.querySelectorAll("mjx-merror").length,
    mathScript: [...document.scripts].map(s => s.src).filter(s => /mathjax/i.test(s)),
    viewportWidth: vw,
    scrollWidth: document.documentElement.scrollWidth,
    sideways, offenders: offenders.slice(0, 20),
  };
}
"""


# How the page lays out what a reader reads: code blocks that hide part of a line, words
# the browser has broken across two lines, and the boxes that scroll sideways.
LAYOUT_FACTS = r"""
() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const shown = el => {
    if (el.closest("details:not([open])")) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const firstLine = el => el.textContent.split("\n").reduce((a, b) => b.length > a.length ? b : a, "").slice(0, 100);

  // Code blocks (code cells, and literal blocks in the prose), not outputs.
  const code = [...article.querySelectorAll("div.highlight pre")]
      .filter(p => !p.closest(".cell_output") && shown(p))
      .map(p => ({hidden: p.scrollWidth - p.clientWidth, longest: firstLine(p)}));

  // Names, numbers and inline code split over two lines. A "word" here is a run of
  // letters, digits, underscores and dots; in inline code, anything between spaces.
  const broken = [];
  const skip = "pre, script, style, svg, mjx-container, .MathJax, mjx-assistive-mml, .sr-only, details:not([open])";
  // A web address shown as a link's text may break: it can be longer than a phone's line.
  const address = el => { const a = el.closest("a"); return !!a && /^https?:\/\//.test(a.textContent.trim()); };
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node; (node = walker.nextNode()); ) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || address(parent)) continue;
    const pattern = parent.closest("code") ? /\S+/g : /[\p{L}\p{N}_.]+/gu;
    for (const m of node.data.matchAll(pattern)) {
      if (m[0].length < 2) continue;
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }

  // Boxes that scroll sideways, and the cue each shows that there is more to see.
  const scrollers = [];
  for (const el of article.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    if (!["auto", "scroll"].includes(s.overflowX) || el.scrollWidth <= el.clientWidth + 1 || !shown(el)) continue;
    scrollers.push({
      tag: el.tagName.toLowerCase(), classes: [...el.classList].join("."),
      inOutput: !!el.closest(".cell_output"), hidden: el.scrollWidth - el.clientWidth,
      more: el.dataset.more || "", mask: s.maskImage !== "none" ? s.maskImage : (s.webkitMaskImage || "none"),
    });
  }
  return {code, broken, scrollers};
}
"""

# The smallest text of every figure, in CSS pixels as the page shows it: a figure's SVG
# (an <img>) is drawn again, hidden, at the size the page gives the image, and each
# piece of text measured there; inline SVG is measured where it is.
FIGURE_TEXT = r"""
async () => {
  const article = document.querySelector("article.bd-article") || document.body;
  const smallest = svg => {
    let min = Infinity, texts = 0;
    for (const t of svg.querySelectorAll("text, tspan")) {
      if (![...t.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.data.trim())) continue;
      const m = t.getScreenCTM();
      if (!m) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      min = Math.min(min, size);
      texts += 1;
    }
    return {smallest: texts ? min : null, texts};
  };
  const holder = document.createElement("div");
  holder.style.cssText = "position: absolute; left: 0; top: 0; visibility: hidden; pointer-events: none";
  document.body.append(holder);
  const figures = [];
  for (const img of article.querySelectorAll("img")) {
    const r = img.getBoundingClientRect();
    if (r.width === 0 || img.closest("details:not([open])")) continue;
    const src = img.currentSrc || img.src;
    if (!/\.svg([?#]|$)/i.test(src)) { figures.push({src, kind: "raster", width: r.width}); continue; }
    const doc = new DOMParser().parseFromString(await (await fetch(src)).text(), "image/svg+xml");
    const svg = document.importNode(doc.documentElement, true);
    svg.setAttribute("width", r.width);
    svg.setAttribute("height", r.height);
    holder.replaceChildren(svg);
    figures.push({src, kind: "svg", width: r.width, ...smallest(svg)});
  }
  holder.remove();
  for (const svg of article.querySelectorAll(".cell_output svg")) {
    if (svg.closest("button, .copybtn") || svg.parentElement.closest("svg")) continue;
    const r = svg.getBoundingClientRect();
    if (r.width === 0 || svg.closest("details:not([open])")) continue;
    figures.push({src: "inline svg", kind: "svg", width: r.width, ...smallest(svg)});
  }
  return figures;
}
"""


def luminance_stats(png: bytes) -> dict:
    """Grey levels (0 black .. 1 white) in a screenshot of a figure as the page shows
    it: ``background``, the median of a thin ring along the figure's edge (the margin
    of a plot, the paper of a graph, or the page showing through a transparent one),
    and ``ink``, the darkest 0.5% of the whole figure (its lines and text)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    w, h = img.size
    data = img.tobytes()
    ring = max(2, min(w, h) // 40)
    edge = sorted(data[y * w + x] for y in range(h) for x in range(w)
                  if x < ring or y < ring or x >= w - ring or y >= h - ring)
    every = sorted(data)
    return {
        "background": edge[len(edge) // 2] / 255,
        "ink": every[len(every) // 200] / 255,
        "size": [w, h],
    }


def parse_rgb(css: str) -> tuple[float, float, float]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]
    return tuple(x / 255 for x in nums)  # type: ignore[return-value]


def relative_luminance(css: str) -> float:
    r, g, b = parse_rgb(css)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def local_target(html: Path, base: str, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points at; None for links elsewhere."""
    if not href.startswith(base):
        return None
    parts = urlsplit(href)
    path = unquote(parts.path)[len(urlsplit(base).path):]
    target = html / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)

