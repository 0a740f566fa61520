"""Seeded draws of lrtheory's families, independent of hypothesis's generator.

A family of :mod:`lrtheory.strategies` is a hypothesis strategy *and* a sampler: every
primitive it draws (an integer range, a choice among options, a rational with bounded
denominator, one of several strategies) is also attached to a :class:`Sampler` that draws
it from a *choice sequence* — a list of integers k_i ∈ [0, n_i), where k_i = 0 is the
simplest value (the integer nearest 0, the first option, the rational of smallest
denominator nearest 0).  A choice sequence comes either from numpy's PCG64 generator seeded
with an explicit integer (:func:`draw`) or from a stored list (replay, zero-extended), so

* the same seed gives the same instances on every machine and with every version of
  hypothesis (numpy documents ``Generator.integers`` on PCG64 as a stable stream);
* a violating instance is *shrunk* (:func:`shrink`) by lowering its choices one at a time
  while the statement stays violated — the idea of hypothesis's shrinker, on a choice
  sequence of our own, so the shrunk counterexample does not depend on hypothesis either.

:func:`lrtheory.falsify.falsify` uses these draws for every strategy that carries a
sampler (all of :mod:`lrtheory.strategies`) and hypothesis's engine for any other.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from .errors import InputError

#: attribute under which a hypothesis strategy carries its sampler
ATTRIBUTE = "_lrtheory_sampler"


class Invalid(Exception):
    """The choices do not give a valid instance (e.g. an empty rational range)."""


class NoSampler(InputError):
    """A strategy without a seeded sampler was drawn from."""


class Choices:
    """A source of choices k ∈ [0, n): random (PCG64 with a seed) or a replayed list
    (entries clamped to n − 1, zero past its end).  ``record`` keeps (k, n) of every
    choice made, the sequence :func:`shrink` works on."""

    def __init__(self, seed: int | None = None, replay: list[int] | None = None):
        self.rng = np.random.Generator(np.random.PCG64(seed)) if replay is None else None
        self.replay = replay
        self.record: list[tuple[int, int]] = []

    def choice(self, n: int) -> int:
        if n < 1:
            raise Invalid("no value to choose from")
        i = len(self.record)
        if self.rng is not None:
            k = int(self.rng.integers(0, n))
        else:
            k = min(max(self.replay[i], 0), n - 1) if i < len(self.replay) else 0
        if i >= 10_000:
            raise Invalid("an instance needs more than 10000 choices")
        self.record.append((k, n))
        return k


class Sampler:
    """Draw a value from :class:`Choices`: ``sample(choices) -> value``."""

    def __init__(self, sample: Callable[[Choices], Any]):
        self.sample = sample


def attach(strategy, sample: Callable[[Choices], Any]):
    """``strategy`` with ``sample`` attached as its :class:`Sampler`; returns it."""
    setattr(strategy, ATTRIBUTE, Sampler(sample))
    return strategy


def sampler_of(strategy) -> Sampler | None:
    """The :class:`Sampler` a strategy carries, or None."""
    return getattr(strategy, ATTRIBUTE, None)


def value(strategy, choices: Choices):
    """Draw from a strategy that carries a sampler (the ``draw`` of a seeded composite)."""
    s = sampler_of(strategy)
    if s is None:
        raise NoSampler(f"{strategy!r} has no seeded sampler: use lrtheory's families, or "
                         "let falsify use hypothesis's engine")
    return s.sample(choices)


# ---- primitives: k = 0 is the simplest value ---------------------------------------------
def integer(choices: Choices, lo: int, hi: int, exclude_zero: bool = False) -> int:
    """An integer of [lo, hi], ordered by simplicity: z, z+1, z−1, z+2, … from the point
    z of [lo, hi] nearest 0 (0 skipped when ``exclude_zero``)."""
    values = hi - lo + 1 - (1 if exclude_zero and lo <= 0 <= hi else 0)
    k = choices.choice(values)
    if exclude_zero and lo <= 0 <= hi:
        k += 1                              # index 0 would be z = 0 itself
    z = min(max(0, lo), hi)
    up, down = hi - z, z - lo
    m = min(up, down)
    if k <= 2 * m:
        return z + (k + 1) // 2 if k % 2 else z - k // 2
    return z + (k - m) if up > down else z - (k - m)


def rational(choices: Choices, lo: Fraction, hi: Fraction, max_denominator: int,
             open_ends: bool = False, exclude_zero: bool = False) -> Fraction:
    """A rational p/d of [lo, hi] (of (lo, hi) when ``open_ends``), d ≤ max_denominator:
    first d (simplest 1), then p among the admissible numerators (simplest nearest 0)."""
    d = 1 + choices.choice(max_denominator)
    for dd in list(range(d, max_denominator + 1)) + list(range(1, d)):
        a, b = lo * dd, hi * dd
        p_lo = math.floor(a) + 1 if open_ends else math.ceil(a)
        p_hi = math.ceil(b) - 1 if open_ends else math.floor(b)
        if exclude_zero and p_lo == p_hi == 0:
            continue
        if p_lo <= p_hi:
            return Fraction(integer(choices, p_lo, p_hi, exclude_zero), dd)
    raise Invalid(f"no rational with denominator <= {max_denominator} in the range")


def one_of(choices: Choices, strategies) -> Any:
    """One of ``strategies`` (the first is the simplest)."""
    return value(strategies[choices.choice(len(strategies))], choices)


# ---- searches ------------------------------------------------------------------------------
def draw(strategy, seed: int, index: int) -> tuple[Any, list[int]]:
    """Instance ``index`` of the seeded stream ``seed`` and its choice sequence (raises
    :class:`Invalid` when those choices give no valid instance)."""
    choices = Choices(seed=[int(seed), int(index)])
    instance = value(strategy, choices)
    return instance, [k for k, _ in choices.record]


def replay(strategy, ks: list[int]) -> tuple[Any, list[int]]:
    """The instance a choice sequence gives, and the sequence actually used."""
    choices = Choices(replay=ks)
    instance = value(strategy, choices)
    return instance, [k for k, _ in choices.record]


def shrink(strategy, ks: list[int], violated: Callable[[Any], Any],
           budget: int = 200) -> tuple[list[int], Any, int]:
    """Lower the choices ``ks`` of a violating instance while ``violated(instance)`` stays
    truthy: each pass tries, position by position, k → 0, k → k//2 and k → k − 1, and
    keeps the first that still violates; passes repeat until one changes nothing or
    ``budget`` evaluations are spent.  Returns (choices, what ``violated`` returned for
    them, evaluations made)."""
    best, result, evaluations = list(ks), None, 0
    improved = True
    while improved and evaluations < budget:
        improved, i = False, 0
        while i < len(best) and evaluations < budget:
            for k in sorted({0, best[i] // 2, best[i] - 1}):
                if not 0 <= k < best[i] or evaluations >= budget:
                    continue
                trial = best[:i] + [k] + best[i + 1:]
                evaluations += 1
                try:
                    instance, used = replay(strategy, trial)
                except Invalid:
                    continue
                out = violated(instance)
                if out:
                    best, result, improved = used, out, True
                    break
            i += 1
    return best, result, evaluations


__all__ = ["Choices", "Invalid", "NoSampler", "Sampler", "attach", "draw", "integer", "one_of", "rational",
           "replay", "sampler_of", "shrink", "value"]
