// Marks each box of the page that scrolls sideways with the side where more of it is
// hidden: data-more="right", "left" or "both" (nnscratch.css fades that edge), and
// keeps the mark up to date as the reader scrolls it or the window changes size.
(() => {
  "use strict";
  const BOXES = [
    ".cell_output", ".cell_output pre", "div.highlight pre", "div.math",
    "mjx-container[display='true']", ".pst-scrollable-table-container", ".nnp-drawing",
  ].map((box) => `.bd-content ${box}`).join(", ");

  const mark = (box) => {
    const hidden = box.scrollWidth - box.clientWidth;
    if (hidden <= 1) {
      delete box.dataset.more;
      return;
    }
    const left = box.scrollLeft > 1;
    const right = box.scrollLeft < hidden - 1;
    box.dataset.more = left && right ? "both" : left ? "left" : "right";
  };

  const markAll = () => document.querySelectorAll(BOXES).forEach(mark);

  // Scroll events do not bubble, but the document sees them all while they descend.
  document.addEventListener("scroll", (event) => {
    if (event.target instanceof Element && event.target.matches(BOXES)) mark(event.target);
  }, { capture: true, passive: true });
  window.addEventListener("resize", markAll);
  document.addEventListener("DOMContentLoaded", markAll);
  // Images and typeset formulas change widths after the page has been laid out.
  window.addEventListener("load", () => {
    markAll();
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(markAll);
    }
  });
})();
