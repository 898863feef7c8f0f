"""Shared test settings.

Hypothesis runs derandomized: the examples it tries are a function of the test alone,
so the suite gives the same verdict on every run and every machine. No deadline,
since the machines that run the suite are slow and busy, and pass/fail must never
depend on timing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "nnscratch",
    derandomize=True,
    database=None,  # nothing written to disk, nothing replayed from an earlier run
    deadline=None,
    max_examples=150,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nnscratch")
