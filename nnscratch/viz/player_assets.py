"""The style sheet and the script that every player carries inline.

A player's HTML works on its own: no network, no external file, no kernel. The script
finds the player it belongs to (or, where a notebook front end runs scripts out of
place, every player on the page not yet set up), turns the drawing's SVG, stored as an
image, into inline SVG it can change, and applies one frame of data at a time.

Kept as text here rather than as files beside the module, so that every way of
installing the package (a wheel, ``pip install git+...`` on Colab) carries them.
"""

STYLE = """
.nnscratch-player{--nnp-warn:#b91c1c;--nnp-focus:#1d4ed8;color:inherit;
 font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 font-size:14px;line-height:1.45;max-width:100%;box-sizing:border-box;margin:.5em 0;
 padding:8px;border:1px solid rgba(127,127,127,.5);border-radius:6px}
.nnscratch-player[data-dark]{--nnp-warn:#fca5a5;--nnp-focus:#93c5fd}
.nnscratch-player:focus-visible,.nnscratch-player :focus-visible{outline:2px solid var(--nnp-focus);
 outline-offset:2px}
.nnscratch-player .nnp-heading{font-weight:600;margin:0 0 6px}
.nnscratch-player .nnp-drawing{overflow-x:auto;background:#fff;border-radius:4px}
.nnscratch-player .nnp-drawing img,.nnscratch-player .nnp-drawing svg{display:block;
 max-width:none;height:auto;margin:0 auto}
.nnscratch-player .nnp-controls{display:flex;flex-wrap:wrap;align-items:center;gap:6px;
 margin:8px 0 4px}
.nnscratch-player .nnp-controls[hidden],.nnscratch-player [hidden]{display:none}
.nnscratch-player button{font:inherit;color:inherit;background:transparent;
 border:1px solid currentColor;border-radius:4px;min-width:40px;min-height:34px;
 padding:2px 10px;cursor:pointer}
.nnscratch-player button:disabled{opacity:.35;cursor:default}
.nnscratch-player input[type=range]{flex:1 1 120px;min-width:90px;margin:0 4px}
.nnscratch-player .nnp-counter{white-space:nowrap;font-variant-numeric:tabular-nums}
.nnscratch-player .nnp-caption{margin:6px 0 0;min-height:4.5em}
.nnscratch-player .nnp-title{font-weight:600;overflow-wrap:anywhere}
.nnscratch-player .nnp-caption ul.nnp-lines{list-style:none;margin:2px 0 0;padding:0;max-height:15em;
 overflow:auto;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.nnscratch-player .nnp-caption ul.nnp-lines li{margin:1px 0;padding-left:1.2em;text-indent:-1.2em;
 overflow-wrap:anywhere}
.nnscratch-player .nnp-caption ul.nnp-lines li.nnp-note{font-family:system-ui,-apple-system,"Segoe UI",
 Roboto,Helvetica,Arial,sans-serif;font-style:italic}
.nnscratch-player .nnp-caption ul.nnp-lines li.nnp-lost{color:var(--nnp-warn);font-weight:600}
.nnscratch-player .nnp-static{font-style:italic;margin:6px 0 0}
.nnscratch-player g.nnp-current>polygon,.nnscratch-player g.nnp-current>ellipse{
 fill:#fde68a;stroke:#b45309;stroke-width:2.5px}
.nnscratch-player g.nnp-changed>polygon{fill:#dbeafe;stroke:#1d4ed8;stroke-width:2px}
.nnscratch-player g.nnp-lost>polygon,.nnscratch-player g.nnp-lost>ellipse{fill:#fecaca;
 stroke:#b91c1c;stroke-width:2.5px}
.nnscratch-player g.nnp-edge>path{stroke:#b45309;stroke-width:2.5px}
.nnscratch-player g.nnp-edge>polygon{fill:#b45309;stroke:#b45309}
.nnscratch-players{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
.nnscratch-players>.nnscratch-player{flex:1 1 0;margin:0;
 min-width:min(100%,calc(var(--nnp-narrowest,300px) + 18px))}
.nnscratch-players .nnp-drawing svg{max-width:100%}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var MARKS = ["nnp-current", "nnp-changed", "nnp-lost", "nnp-edge"];
  var KEYS = ["cur", "chg", "lost", "edges"];

  function isDark(root) {
    var m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(getComputedStyle(root).color);
    if (!m) return false;
    return 0.2126 * m[1] + 0.7152 * m[2] + 0.0722 * m[3] > 140;  // light text: a dark page
  }

  function inlineSvg(img) {
    var src = img.getAttribute("src") || "";
    var doc = new DOMParser().parseFromString(
      decodeURIComponent(src.slice(src.indexOf(",") + 1)), "image/svg+xml");
    var svg = doc.documentElement;
    if (!svg || svg.nodeName !== "svg" || doc.getElementsByTagName("parsererror").length) return null;
    return document.importNode(svg, true);
  }

  function setup(root) {
    if (root.hasAttribute("data-ready")) return;
    var dataNode = root.querySelector("script.nnp-data");
    var box = root.querySelector(".nnp-drawing");
    var img = box && box.querySelector("img");
    if (!dataNode || !img) return;
    var data = JSON.parse(dataNode.textContent);
    var svg = inlineSvg(img);
    if (!svg) return;  // keep the still picture and its note
    root.setAttribute("data-ready", "");
    var parts = {};
    svg.querySelectorAll("[id]").forEach(function (el) {
      parts[el.id] = el;
      el.removeAttribute("id");
    });
    svg.querySelectorAll("title").forEach(function (t) { t.parentNode.removeChild(t); });
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", img.getAttribute("alt") || "");
    var last = data.frames.length - 1;
    var finalTexts = data.frames[last].t;
    var slots = data.slots.map(function (key, i) {
      var found = null;
      if (parts[key]) parts[key].querySelectorAll("text").forEach(function (t) {
        if (t.textContent === finalTexts[i]) found = t;
      });
      return found;
    });
    box.replaceChild(svg, img);
    // Side by side, a drawing may shrink to fit, down to three quarters of its size;
    // players that would need more go one under the other.
    var natural = svg.width && svg.width.baseVal ? svg.width.baseVal.value : 0;
    if (natural > 0) {
      svg.style.minWidth = Math.round(0.75 * natural) + "px";
      root.style.setProperty("--nnp-narrowest", Math.round(0.75 * natural) + "px");
    }

    var q = function (sel) { return root.querySelector(sel); };
    var controls = q(".nnp-controls"), slider = q("input.nnp-slider"), counter = q(".nnp-counter");
    var title = q(".nnp-title"), lines = q(".nnp-lines"), play = q('[data-action="play"]');
    var buttons = {};
    root.querySelectorAll("button[data-action]").forEach(function (b) {
      buttons[b.getAttribute("data-action")] = b;
    });
    var step = 0, timer = null, marked = [];

    function theme() {
      if (isDark(root)) root.setAttribute("data-dark", ""); else root.removeAttribute("data-dark");
    }

    function follow(el) {  // keep the node being worked on in view, inside the drawing's box
      if (!el || box.scrollWidth <= box.clientWidth) return;
      var b = box.getBoundingClientRect(), r = el.getBoundingClientRect();
      if (r.left < b.left || r.right > b.right) {
        box.scrollLeft += (r.left + r.right) / 2 - (b.left + b.right) / 2;
      }
    }

    function show(k) {
      step = Math.max(0, Math.min(last, k));
      var f = data.frames[step];
      slots.forEach(function (t, i) { if (t) t.textContent = f.t[i]; });
      marked.forEach(function (m) { m[0].classList.remove(m[1]); });
      marked = [];
      KEYS.forEach(function (key, n) {
        (f[key] || []).forEach(function (id) {
          if (parts[id]) { parts[id].classList.add(MARKS[n]); marked.push([parts[id], MARKS[n]]); }
        });
      });
      title.textContent = f.title;
      while (lines.firstChild) lines.removeChild(lines.firstChild);
      f.lines.forEach(function (line) {
        var li = document.createElement("li");
        li.className = "nnp-" + line[0];
        li.textContent = line[1];
        lines.appendChild(li);
      });
      root.setAttribute("data-step", String(step));
      slider.value = String(step);
      slider.setAttribute("aria-valuetext", f.label);
      counter.textContent = f.label;
      buttons.first.disabled = buttons.prev.disabled = step === 0;
      buttons.next.disabled = buttons.last.disabled = step === last;
      theme();
      follow(f.cur && parts[f.cur[0]]);
    }

    function stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      play.textContent = "Play";
      play.setAttribute("aria-pressed", "false");
    }

    function start() {
      if (step === last) show(0);
      play.textContent = "Pause";
      play.setAttribute("aria-pressed", "true");
      timer = setInterval(function () {
        if (step >= last) stop(); else show(step + 1);
      }, data.interval);
    }

    var actions = {
      first: function () { stop(); show(0); },
      prev: function () { stop(); show(step - 1); },
      next: function () { stop(); show(step + 1); },
      last: function () { stop(); show(last); },
      play: function () { if (timer === null) start(); else stop(); }
    };
    Object.keys(buttons).forEach(function (name) {
      buttons[name].addEventListener("click", function () { actions[name](); });
    });
    slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
    root.addEventListener("keydown", function (e) {
      if (e.target === slider || e.altKey || e.ctrlKey || e.metaKey) return;
      var key = {ArrowRight: "next", ArrowLeft: "prev", Home: "first", End: "last"}[e.key];
      if (!key && e.key === " " && e.target === root) key = "play";
      if (!key) return;
      e.preventDefault();
      e.stopPropagation();
      actions[key]();
    });
    var note = q(".nnp-static");
    if (note) note.hidden = true;
    controls.hidden = false;
    controls.style.display = "";
    if (window.matchMedia) {
      var media = window.matchMedia("(prefers-color-scheme: dark)");
      if (media.addEventListener) media.addEventListener("change", theme);
    }
    if (window.MutationObserver) {
      var watch = new MutationObserver(theme);
      [document.documentElement, document.body].forEach(function (el) {
        if (el) watch.observe(el, {attributes: true, attributeFilter:
          ["class", "data-theme", "data-mode", "data-jp-theme-light"]});
      });
    }
    root.nnscratchPlayer = {show: show, frames: last + 1};
    show(0);
  }

  function setupAll() {
    document.querySelectorAll(".nnscratch-player").forEach(setup);
  }
  var me = document.currentScript;
  var root = me && me.closest ? me.closest(".nnscratch-player") : null;
  if (root) setup(root);
  else { setupAll(); setTimeout(setupAll, 0); }
})();
"""
