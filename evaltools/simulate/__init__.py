"""Seeded synthetic pre/post sessions modelled on the real sosialisasi.

Nothing here is real: names are drawn from short lists, NIPs are built
with the real layout (birth date, appointment, gender, sequence) from random
draws. Knowledge follows a simple item-response model in which gain differs
by OPD and by topic, so reports have something true to find; collection
imperfections (missed post-tests, double submissions, blank items, NIPs
typed with spaces, a stray empty row) are added on purpose.

``specs`` holds the sessions, ``model`` draws the people and their answers,
``files`` writes the sample folders (``make sample``: ``write_sample``).

Example:
    >>> pre, post = simulate_session(SESSIONS["loa-janan-2024-11-22"], inst)
    >>> sorted(set(pre["wave"]) | set(post["wave"]) - {""})
    ['post', 'pre']
"""

from .files import write_sample
from .model import SUGGESTIONS, SYNTHETIC_NOTE, simulate_followup, simulate_session
from .specs import (FOLLOWUPS, LATER_FOLLOWUPS, SESSIONS, TOPIC_DIFFICULTY, TOPIC_GAIN, FollowupSpec,
                    SessionSpec, Unit)

__all__ = ["FOLLOWUPS", "LATER_FOLLOWUPS", "SESSIONS", "SUGGESTIONS", "SYNTHETIC_NOTE", "TOPIC_DIFFICULTY", "TOPIC_GAIN",
           "FollowupSpec", "SessionSpec", "Unit", "simulate_followup", "simulate_session",
           "write_sample"]
