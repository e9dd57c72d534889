"""Problems: the handful of things wrong in a ledger, their likely culprits and mistakes.

A reader does not want 300 findings; they want the problems behind them. This package
sits between the solver and the report (solver results + findings → problems → report),
one room per concern, in the order data flows through them:

- :mod:`._stories`: which claims are one figure from one wire story, and who carried it
  (:func:`carried`, :func:`same_story`, :func:`story_label`);
- :mod:`._diagnosis`: what the other claims imply for a culprit and the reporter's
  mistake that would explain it (:class:`Diagnosis`, :class:`Explanation`, the
  :class:`Bar` of each claim for the picture);
- :mod:`._grouping`: conflict sets into problems, their culprits (each diagnosed),
  evidence and headline (:func:`find_problems`, :class:`Problem`, :class:`Culprit`);
- :mod:`._scorecard`: each outlet's record over the problems (:func:`scorecard`);
- :mod:`._notable`: the implied figures worth a reader's time (:func:`notable_implied`).

Attention: the diagnosis is a likely story, not proof. A figure can be off for a reason
no rule here knows; then the diagnosis says "no simple explanation".
"""

from ._diagnosis import MISTAKES, Bar, Diagnosis, Explanation, Mistake
from ._grouping import Culprit, Problem, find_problems, states
from ._notable import notable_implied
from ._scorecard import OutletScore, scorecard
from ._stories import Carried, carried, same_story, story_label

__all__ = [
    "MISTAKES",
    "Bar",
    "Carried",
    "Culprit",
    "Diagnosis",
    "Explanation",
    "Mistake",
    "OutletScore",
    "Problem",
    "carried",
    "find_problems",
    "notable_implied",
    "same_story",
    "scorecard",
    "states",
    "story_label",
]
