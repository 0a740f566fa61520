"""Expectations: the statements theorists make most, as reusable checks.

Each function returns an expectation — a check ``expectation(ctx) -> Evidence`` — that
computes with lrtheory's engines and reports findings with the claims' verdict semantics
(``proved`` only from exact or rigorous methods, ``confirmed`` only when a numerical result
is stable under a precision increase, ``refuted`` with the counterexample, ``inconclusive``
with the reason) and key numbers with their kinds and tolerances for the baseline::

    from lrtheory import expect
    from lrtheory.claims import claim

    @claim("P-1", title="Period-3 window", source="mine",
           statement=r"GD on $x^3/3 - x$ has a fold of period 3 at $h = \\sqrt{2}$.")
    def period_three(ctx):
        return expect.bifurcation("x**3/3 - x", "x", lr_range=["1.3", "1.5"],
                                  type="fold", period=3, value="sqrt(2)")

Kinds (the TOML ``kind`` of :mod:`lrtheory.expect.kinds` in brackets):

* :func:`periodic_orbit` [periodic-orbit], :func:`no_attracting_orbit`
  [no-attracting-orbit] — :mod:`.orbits`;
* :func:`bifurcation` [bifurcation] — :mod:`.bifurcations`;
* :func:`modified_field`, :func:`modified_potential`, :func:`modified_gradient`
  [modified-field, modified-potential, modified-gradient] — :mod:`.modified`;
* :func:`gd_converges`, :func:`gd_diverges`, :func:`gd_bounded` [gd-converges,
  gd-diverges, gd-bounded] — :mod:`.gd`;
* :func:`hessian_spectrum`, :func:`sharpness` [hessian-spectrum, sharpness] —
  :mod:`.hessian`;
* :func:`inequality` [inequality], :func:`holds_for_all` (a hypothesis strategy and a
  statement; Python only) — :mod:`.inequalities`;
* :func:`limit_sharpness` [limit-sharpness] — the sharpness at the certified limit of GD
  (the edge of stability) — :mod:`.eos`;
* :func:`monotone` [monotone] — a quantity along GD — :mod:`.quantities`;
* :func:`lyapunov_sign` [lyapunov-sign] — :mod:`.lyapunov`;
* :func:`attracting_measure` [atlas] — an attracting cycle for at least X % of the
  learning rates of an interval, by the certified atlas — :mod:`.atlas`;
* :func:`throughout` [throughout] — a property for every learning rate of an interval —
  :mod:`.intervals`;
* :func:`all_of`, :func:`any_of` — conjunction and disjunction of expectations and checks
  (Python only) — :mod:`.compose`.

(The modules are named apart from the functions, so that importing one never hides a
function of this package.)  Objectives and numbers may be given as text (read by the restricted parser), as in a TOML
claim; errors name the argument.  Importing this package imports nothing heavy; each
function imports its engine when called.
"""
from __future__ import annotations

import importlib

_WHERE = {
    "periodic_orbit": "orbits", "no_attracting_orbit": "orbits",
    "bifurcation": "bifurcations",
    "modified_field": "modified", "modified_potential": "modified",
    "modified_gradient": "modified",
    "gd_converges": "gd", "gd_diverges": "gd", "gd_bounded": "gd",
    "hessian_spectrum": "hessian", "sharpness": "hessian",
    "inequality": "inequalities", "holds_for_all": "inequalities",
    "lyapunov_sign": "lyapunov",
    "limit_sharpness": "eos", "monotone": "quantities",
    "throughout": "intervals",
    "attracting_measure": "atlas",
    "all_of": "compose", "any_of": "compose",
    "Expectation": "base", "ArgumentError": "base",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
