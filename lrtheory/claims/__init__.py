"""Claims: executable checks of theorem statements, their sources, and how they are found.

A check is a function ``check(ctx: CheckContext) -> Evidence`` (or an expectation of
:mod:`lrtheory.expect`) declared with :func:`claim`; a TOML claims file declares claims
of the kinds of :mod:`lrtheory.expect` without code.  Discovery
(:func:`discover`, :mod:`lrtheory.claims.discovery`) builds a :class:`Registry` from a
project's claims files, from ``--claims`` locations, or from the installed collections
(lrtheory's built-in claims are the collection ``lrtheory``, package ``proofs_checks``).
:func:`run_claims` runs a selection, isolating failures: a check that raises is reported
with verdict ``error`` and the others still run.

Verdicts: ``proved`` (exact / symbolic / rigorous enclosure), ``confirmed`` (numerical,
stable under a precision increase), ``refuted`` (counterexample or rigorous
contradiction), ``inconclusive`` (evidence decides nothing, and says why).

Modules: :mod:`.evidence` (Evidence, verdicts), :mod:`.registry` (claims, Registry),
:mod:`.sources` (sources, BibTeX), :mod:`.project` (``[tool.lrtheory]``),
:mod:`.discovery`, :mod:`.toml_claims` and :mod:`.runner` (CheckContext, run_claims).
Importing this package imports nothing heavy.
"""
from .discovery import discover
from .evidence import METHODS, VERDICTS, Evidence, Finding, combine_verdicts
from .registry import (REGISTRY, Claim, ClaimSpec, ProjectInfo, Registry, active_registry,
                       all_claims, claim, claim_kind, kind_counts, kind_table, matches,
                       natural_key, select, source)
from .runner import (CheckContext, ClaimRecord, environment, evidence_of, results_document,
                     run_claim, run_claims)
from .sources import Source

__all__ = ["CheckContext", "Claim", "ClaimRecord", "ClaimSpec", "Evidence", "Finding", "METHODS",
           "ProjectInfo", "REGISTRY", "Registry", "SOURCES", "Source", "VERDICTS",
           "active_registry", "all_claims", "claim", "claim_kind", "combine_verdicts",
           "discover", "kind_counts", "kind_table",
           "environment", "evidence_of", "matches", "natural_key", "results_document",
           "run_claim", "run_claims", "select", "source"]


def __getattr__(name: str):
    """``SOURCES``: the citation of each built-in source by key (BLOG, WCZT, KT, REG, EOS),
    read from the built-in collection's ``sources.toml``."""
    if name == "SOURCES":
        from .registry import builtin_sources
        return {k: s.citation() for k, s in builtin_sources().items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
