// Judges the self-check questions in the page, with no kernel. The same rule as
// nnscratch/quiz/grading.py, which the browser tests compare it with.
(function () {
  "use strict";
  var NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

  function readNumber(text) {
    var parts = text.trim().replace(/\u2212/g, "-").split("/");
    if (parts.length > 2) return null;
    for (var i = 0; i < parts.length; i++) {
      if (!NUMBER.test(parts[i].trim())) return null;
    }
    var x = Number(parts[0].trim());
    if (parts.length === 2) {
      var d = Number(parts[1].trim());
      if (d === 0) return null;
      x = x / d;
    }
    return isFinite(x) ? x : null;
  }

  function rounded(x, precision) {
    return precision ? Number(x.toPrecision(precision)) : x;
  }

  function matches(answer, x, precision) {
    x = rounded(x, precision);
    if (answer.type === "value") return x === rounded(answer.value, precision);
    if (answer.type === "range") return answer.range[0] <= x && x < answer.range[1];
    return false;
  }

  // {state, feedback}: state "right" or "wrong", or the key of a message for no answer.
  function grade(data, q) {
    if (data.type === "multiple_choice") {
      var chosen = q.querySelector("input[type=radio]:checked");
      if (!chosen) return {state: "choose"};
      var choice = data.answers[Number(chosen.value)];
      return {state: choice.correct ? "right" : "wrong", feedback: choice.feedback};
    }
    var text = q.querySelector("input[type=text]").value;
    if (!text.trim()) return {state: "empty"};
    var x = readNumber(text);
    if (x === null) return {state: "unreadable"};
    for (var i = 0; i < data.answers.length; i++) {
      var a = data.answers[i];
      if (a.type === "default" || matches(a, x, data.precision)) {
        return {state: a.correct ? "right" : "wrong", feedback: a.feedback};
      }
    }
  }

  function show(q, out, words, verdict) {
    q.setAttribute("data-verdict", verdict.state);
    out.textContent = "";
    var mark = document.createElement("span");
    mark.className = "nnq-mark";
    mark.textContent = words[verdict.state];
    out.appendChild(mark);
    if (verdict.feedback) {
      var why = document.createElement("span");
      why.innerHTML = verdict.feedback; // the course's own text, checked by its tests
      out.appendChild(document.createTextNode(" "));
      out.appendChild(why);
    }
  }

  function wire(box) {
    if (box.hasAttribute("data-nnq-ready")) return;
    box.setAttribute("data-nnq-ready", "");
    var words = JSON.parse(box.getAttribute("data-nnq-words"));
    // Keys pressed in the questions belong to them: a notebook front end would
    // otherwise take an arrow or Enter as a move between cells. Shortcuts with a
    // modifier (Ctrl, Alt, Cmd) still reach the page.
    box.addEventListener("keydown", function (event) {
      if (!event.ctrlKey && !event.altKey && !event.metaKey) event.stopPropagation();
    });
    box.querySelectorAll(".nnq-q").forEach(function (q) {
      var data = JSON.parse(q.getAttribute("data-nnq"));
      var out = q.querySelector(".nnq-verdict");
      var judge = function () { show(q, out, words, grade(data, q)); };
      var clear = function () { q.removeAttribute("data-verdict"); out.textContent = ""; };
      q.querySelector(".nnq-check").addEventListener("click", judge);
      q.addEventListener("input", clear);
      q.addEventListener("change", clear);
      var typed = q.querySelector("input[type=text]");
      if (typed) {
        typed.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); judge(); }
        });
      }
    });
  }

  // This script's own questions (found from the script, which works where an output
  // is not yet in the document when its script runs), then any left unwired.
  var here = document.currentScript && document.currentScript.closest(".nnq");
  if (here) wire(here);
  document.querySelectorAll(".nnq").forEach(wire);
})();
