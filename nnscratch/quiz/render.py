"""Self-check questions as a cell's output: HTML that judges answers in the page, with
no kernel, in the book, JupyterLab, Colab and VS Code alike.

The HTML carries everything it needs (its style and script are inline, nothing is
loaded from anywhere) and is the same bytes on every run: element ids come from the
chapter and the question's id, and choices keep the file's order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .bank import Question, load
from .grading import WORDS, plain_text

__all__ = ["Questions", "questions"]

_HERE = Path(__file__).resolve().parent
TITLE = "Check your understanding"
NO_SCRIPT = ("These questions check your answers with a script that has not run here. "
             "Run this cell to use them (JupyterLab runs the scripts of a notebook "
             "only once you have run it or trusted it).")


@dataclass(frozen=True)
class Questions:
    """Some of a chapter's questions, shown as the output of the cell that makes them."""

    chapter: str
    numbered: tuple[tuple[str, Question], ...]  # ("3.2", question), in the order asked

    def _repr_html_(self) -> str:
        words = escape(_json(WORDS))
        parts = [f'<div class="nnq" data-nnq-words="{words}">',
                 f"<style>{_asset('quiz.css')}</style>",
                 f'<p class="nnq-title">{TITLE}</p>']
        for number, question in self.numbered:
            parts.append(_question_html(self.chapter, number, question))
        parts += [f'<p class="nnq-noscript">{NO_SCRIPT}</p>',
                  f"<script>{_asset('quiz.js')}</script>", "</div>"]
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = [f"{TITLE} (the questions need a page that shows HTML: the book, "
                 "JupyterLab, Colab or VS Code)"]
        for number, question in self.numbered:
            lines.append(f"Question {number}. {plain_text(question['question'])}")
            if question["type"] == "multiple_choice":
                lines += [f"  {chr(97 + k)}) {plain_text(a['answer'])}"
                          for k, a in enumerate(question["answers"])]
            else:
                lines.append("  Answer with a number.")
        return "\n".join(lines)


def questions(chapter: str, *ids: str) -> Questions:
    """The questions ``ids`` of ``chapter``, shown where the cell is:
    ``questions("03_backprop_by_hand", "plus-node", "chain-rule-f")``.

    Each question is numbered by its place in the chapter's file (Question 3.2)."""
    bank = load(chapter)
    if not ids:
        raise TypeError(f"name the questions to show, e.g. questions({chapter!r}, {bank[0]['id']!r})")
    by_id = {q["id"]: (f"{int(chapter[:2])}.{k + 1}", q) for k, q in enumerate(bank)}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise KeyError(f"chapter {chapter!r} has no question {unknown[0]!r}; "
                       f"its questions are: {', '.join(by_id)}")
    if len(set(ids)) != len(ids):
        raise ValueError(f"a question is named twice: {', '.join(ids)}")
    return Questions(chapter, tuple(by_id[i] for i in ids))


def _question_html(chapter: str, number: str, q: Question) -> str:
    key = f"nnq-{chapter}-{q['id']}"
    label = f'<span class="nnq-number">Question {number}</span> {q["question"]}'
    data = {"type": q["type"], "precision": q.get("precision"),
            "answers": [_judging(a) for a in q["answers"]]}
    lines = [f'<div class="nnq-q" id="{key}" data-nnq="{escape(_json(data))}">']
    if q["type"] == "multiple_choice":
        lines += ["<fieldset>", f"<legend>{label}</legend>"]
        # Each choice in a block of its own, so that they stack even where the style is
        # stripped (a notebook JupyterLab does not trust, a preview on GitHub).
        lines += [f'<div><label class="nnq-choice"><input type="radio" name="{key}" value="{k}">'
                  f"<span>{a['answer']}</span></label></div>" for k, a in enumerate(q["answers"])]
        lines += ["</fieldset>",
                  '<div class="nnq-actions"><button type="button" class="nnq-check">Check</button></div>']
    else:
        lines += [f'<p class="nnq-text" id="{key}-text">{label}</p>',
                  '<div class="nnq-actions">',
                  f'<label class="nnq-answer">Your answer <input type="text" autocomplete="off" '
                  f'autocapitalize="off" spellcheck="false" aria-describedby="{key}-text"></label>',
                  '<button type="button" class="nnq-check">Check</button>',
                  "</div>"]
        if q.get("precision"):
            lines.append(f'<p class="nnq-hint">Checked to {q["precision"]} significant figures.</p>')
    lines += ['<p class="nnq-verdict" role="status" aria-live="polite"></p>', "</div>"]
    return "\n".join(lines)


def _judging(answer: dict) -> dict:
    """What the page needs to judge an answer (a choice's text is in the markup)."""
    return {k: v for k, v in answer.items() if k != "answer"}


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _asset(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8").strip()
