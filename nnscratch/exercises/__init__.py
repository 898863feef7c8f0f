"""Self-checking exercises, one module per chapter.

In a notebook::

    from nnscratch.exercises import ____
    from nnscratch.exercises.derivatives import q1

    slope = ____        # your answer here
    q1.check()          # ✓ Correct / ✗ Not quite: ... / ○ Not attempted yet: ...
    q1.hint()           # q1.hint(2) for the next one
    q1.solution()
"""

from .core import ____, FunctionProblem, NumberProblem, OpenEnded, Problem, Result, Wrong, is_blank

__all__ = ["____", "Problem", "NumberProblem", "FunctionProblem", "OpenEnded", "Result", "Wrong",
           "is_blank"]
