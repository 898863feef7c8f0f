"""Self-check questions that work without a kernel.

A chapter's question cell is one line, ``questions("03_backprop_by_hand",
"plus-node")``: its output shows those questions of the chapter's file,
``book/quizzes/03_backprop_by_hand.json``, and judges the reader's answers in the page
itself, so they work in the book as in a notebook, with or without a running kernel.

`bank` reads and checks the files, `grading` says how an answer is judged, `render`
makes the HTML. Standard library only.
"""

from .bank import QuestionFileError, chapters, load, quiz_folder, validate
from .grading import Verdict, grade, read_number
from .render import Questions, questions

__all__ = [
    "questions", "Questions", "load", "validate", "chapters", "quiz_folder",
    "QuestionFileError", "grade", "Verdict", "read_number",
]
