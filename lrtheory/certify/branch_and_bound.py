"""Branch and bound over boxes, depth first and deterministic.

A box is a tuple of (lo, hi) float pairs, one per coordinate (floats are exact binary
numbers; :func:`lrtheory.certify.box_balls` turns a box into python-flint balls).  Starting
from one box, each box taken from the stack is given to ``decide(box)``, which returns

* ``(ACCEPT, value)`` — the box is settled and ``value`` is kept with it (for instance the
  enclosure of the unique zero a Krawczyk test proved in it);
* ``(EXCLUDE, None)`` — the box provably holds nothing of interest;
* ``(SPLIT, None)`` — undecided: the box is cut by ``split(box)`` (default: the widest
  side at ``fraction`` of its width) and the pieces are pushed, the first one on top.

Two limits keep the search finite: a box that would be split at depth ``max_depth``, and
every box still on the stack once ``max_boxes`` boxes were decided, are *undecided* and
listed in the result.  Nothing is dropped silently: the accepted, excluded and undecided
boxes together cover the starting box.
"""
from __future__ import annotations

from typing import Callable

from ..results import Result, result

__all__ = ["branch_and_bound", "BoxSearch", "bisect_widest", "ACCEPT", "EXCLUDE", "SPLIT"]

ACCEPT, EXCLUDE, SPLIT = "accept", "exclude", "split"


@result
class BoxSearch(Result):
    """Outcome of :func:`branch_and_bound`.

    ``accepted`` — (box, value) pairs in the order found; ``undecided`` — boxes left at the
    depth limit or on the stack when the budget ran out; ``boxes`` — boxes decided;
    ``excluded`` — boxes excluded; ``depth`` — the deepest box decided; ``exhausted`` — the
    box budget ran out (``undecided`` then holds the rest of the stack)."""

    accepted: tuple = ()
    undecided: tuple = ()
    boxes: int = 0
    excluded: int = 0
    depth: int = 0
    exhausted: bool = False
    _repr_skip = ("accepted", "undecided")

    @property
    def decided(self) -> bool:
        """Every part of the starting box was accepted or excluded."""
        return not self.undecided

    def __repr__(self):
        return (f"BoxSearch(accepted={len(self.accepted)}, undecided={len(self.undecided)}, "
                f"boxes={self.boxes}, excluded={self.excluded}, depth={self.depth}, "
                f"exhausted={self.exhausted})")


def bisect_widest(box, fraction: float = 0.5) -> tuple:
    """The two pieces of ``box`` cut across its widest side at ``fraction`` of its width
    (the first piece holds the lower end)."""
    i = max(range(len(box)), key=lambda k: box[k][1] - box[k][0])
    lo, hi = box[i]
    cut = lo + (hi - lo) * fraction
    return box[:i] + ((lo, cut),) + box[i + 1:], box[:i] + ((cut, hi),) + box[i + 1:]


def branch_and_bound(box, decide: Callable, split: Callable = bisect_widest,
                     max_depth: int = 40, max_boxes: int = 10**6) -> BoxSearch:
    """Depth-first branch and bound from ``box`` (see the module docstring)."""
    if max_boxes < 1 or max_depth < 0:
        raise ValueError("max_boxes must be positive and max_depth non-negative")
    stack = [(tuple((float(lo), float(hi)) for lo, hi in box), 0)]
    accepted, undecided = [], []
    boxes = excluded = deepest = 0
    while stack and boxes < max_boxes:
        current, depth = stack.pop()
        boxes, deepest = boxes + 1, max(deepest, depth)
        verdict, value = decide(current)
        if verdict == ACCEPT:
            accepted.append((current, value))
        elif verdict == EXCLUDE:
            excluded += 1
        elif verdict != SPLIT:
            raise ValueError(f"decide returned {verdict!r}, not accept/exclude/split")
        elif depth >= max_depth:
            undecided.append(current)
        else:
            stack.extend((piece, depth + 1) for piece in reversed(split(current)))
    undecided.extend(b for b, _ in reversed(stack))
    return BoxSearch(tuple(accepted), tuple(undecided), boxes, excluded, deepest, bool(stack))
