"""pytest plugin: each claim of a project is a test item.

In a test module of the project::

    from lrtheory.pytest_plugin import claim_tests

    test_claims = claim_tests()           # or claim_tests("P-1", "P-2"), claim_tests("P")

collects one item per claim (``tests/test_claims.py::test_claims::P-1``).  Items are
judged by :func:`lrtheory.claims.judge.judge`, the judge of ``lrtheory verify``: an item
fails when the claim's check errors; when the claim declares the verdicts it expects
(``expected``) and gets another; when it declares none and is refuted (a statement known
to be false as written says ``expected = "refuted"``); or when its verdict or a key
number drifts from the project's baseline (``baseline`` of ``[tool.lrtheory]``).  A claim
not yet in the baseline passes with a warning.

Options (added by the shim :mod:`lrtheory.pytest_shim`, registered as the ``pytest11``
entry point ``lrtheory``): ``--lrtheory-update-baseline`` records the run's verdicts and
numbers in the baseline instead of comparing, ``--lrtheory-claims ID`` selects claims,
``--lrtheory-quick`` runs the quick versions (the baseline's quick section),
``--lrtheory-baseline PATH`` names another baseline.  ``pytest -k P-1`` works as usual.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .pytest_shim import MARK

_RECORDS = pytest.StashKey[dict]()
_BASELINES = pytest.StashKey[dict]()
#: A claim the baseline does not hold (not compared).
_ABSENT = object()


def claim_tests(*ids: str, config=None, claims=()):
    """The claim tests of the project found from the test module's folder: one item per
    claim selected by ``ids`` (all when none); ``config`` names the pyproject.toml and
    ``claims`` other claims locations (relative to the test module's folder)."""
    def test_claims():
        pytest.fail("the lrtheory pytest plugin is not active (it is the pytest11 entry "
                    "point 'lrtheory' of the lrtheory package; was it disabled with "
                    "-p no:lrtheory?)")
    setattr(test_claims, MARK, {"ids": tuple(ids), "config": config,
                                "claims": tuple(claims)})
    return test_claims


def make_collector(collector, name: str, obj):
    return ClaimCollector.from_parent(collector, name=name, spec=obj.__dict__[MARK])


def baseline_path(config, registry) -> Path | None:
    """The baseline of ``--lrtheory-baseline``, else the project's (None: none)."""
    given = config.getoption("lrtheory_baseline")
    if given is not None:
        if not given.strip():
            from .errors import InputError
            raise InputError("--lrtheory-baseline: empty path")
        return Path(given)
    path = registry.project.baseline
    return Path(path) if path else None


def check_baseline_option(session, path: Path | None) -> None:
    """Read and validate the baseline at ``path`` once per session, before any claim runs
    (:class:`~lrtheory.errors.InputError` when it is not a valid baseline).  A baseline
    named by ``--lrtheory-baseline`` must exist unless the run records it; one that exists
    must be a regular file (not a folder, a FIFO or a device); a project's baseline may be
    missing (each claim then warns that it is not recorded)."""
    from . import baseline as bl
    from .errors import InputError
    cache = session.stash.setdefault(_BASELINES, {})
    if path is None or path in cache:
        return
    update = session.config.getoption("lrtheory_update_baseline")
    explicit = session.config.getoption("lrtheory_baseline") is not None
    if os.path.lexists(path) and not path.is_file():
        where = "--lrtheory-baseline" if explicit else "the project's baseline"
        raise InputError(f"{where}: {path} is not a regular file")
    if not path.exists() and (update or not explicit):
        cache[path] = None
        return
    if not path.exists():
        raise InputError(f"--lrtheory-baseline: no baseline at {path} (record one with "
                         "--lrtheory-update-baseline)")
    cache[path] = bl.load(path)


class ClaimFailure(Exception):
    """A claim item failed: the message says why."""


class ClaimCollector(pytest.Collector):
    """The claims selected by a :func:`claim_tests` spec, one :class:`ClaimItem` each."""

    def __init__(self, *, spec: dict, **kwargs):
        super().__init__(**kwargs)
        self.spec = spec

    def collect(self):
        from .claims import discover
        from .errors import InputError
        folder = Path(self.path).parent
        config = self.config.getoption("lrtheory_claims")
        ids = [*self.spec["ids"], *(i.strip() for opt in config for i in opt.split(",")
                                    if i.strip())]
        try:
            cfg = self.spec["config"]
            registry = discover(claims=self.spec["claims"], cwd=folder,
                                config=None if cfg is None else folder / cfg)
            selected = registry.select(ids or None)
            check_baseline_option(self.session, baseline_path(self.config, registry))
        except InputError as exc:
            raise self.CollectError(f"lrtheory: {exc}") from None
        for c in selected:
            yield ClaimItem.from_parent(self, name=c.id, claim=c, registry=registry)


class ClaimItem(pytest.Item):
    """One claim as a test (see the module docstring)."""

    def __init__(self, *, claim, registry, **kwargs):
        super().__init__(**kwargs)
        self.claim = claim
        self.registry = registry

    @property
    def quick(self) -> bool:
        return bool(self.config.getoption("lrtheory_quick"))

    def baseline_path(self) -> Path | None:
        return baseline_path(self.config, self.registry)

    def runtest(self):
        from .claims import CheckContext, run_claim
        from .claims.judge import judge
        record = run_claim(self.claim, CheckContext(quick=self.quick))
        path = self.baseline_path()
        self.session.stash.setdefault(_RECORDS, {}).setdefault(path, []).append(
            (self.claim, record))
        compare = not self.config.getoption("lrtheory_update_baseline") and \
            path is not None and record.verdict != "error"
        old = self._baseline_entry(path) if compare else None
        judgement = judge(record, old, compare=compare and old is not _ABSENT,
                          refuted_fails=True)
        problems = list(judgement.problems)
        if problems:
            findings = [f"  [{f['verdict']}] {f['statement']}"
                        for f in record.evidence.findings]
            raise ClaimFailure("\n".join([*(f"{self.claim.id}: {p}" for p in problems),
                                          *(["findings:"] + findings if findings else [])]))

    def _baseline_entry(self, path: Path):
        """The claim's entry in the baseline's section for this mode, or :data:`_ABSENT`
        (with a warning) when the baseline does not hold it."""
        from . import baseline as bl
        mode = "quick" if self.quick else "full"
        cache = self.session.stash.setdefault(_BASELINES, {})
        if path not in cache:
            cache[path] = bl.load(path) if path.is_file() else None
        data = cache[path]
        held = (((data or {}).get("modes") or {}).get(mode) or {}).get("claims") or {}
        old = held.get(self.claim.id)
        if old is None:
            self.warn(pytest.PytestWarning(
                f"{self.claim.id} is not in the {mode} section of the baseline {path}; "
                "record it with `pytest --lrtheory-update-baseline`"))
            return _ABSENT
        return old

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ClaimFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        file, _, line = self.claim.origin.rpartition(":")
        if file and line.isdigit():
            return Path(file), int(line) - 1, f"claim {self.claim.id}"
        return self.path, None, f"claim {self.claim.id}"


def session_finish(session) -> None:
    """With ``--lrtheory-update-baseline``: record the claims run in their baselines."""
    if not session.config.getoption("lrtheory_update_baseline"):
        return
    from . import baseline as bl
    from .claims import results_document
    quick = bool(session.config.getoption("lrtheory_quick"))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for path, runs in session.stash.get(_RECORDS, {}).items():
        if path is None:
            continue
        claims, records = [c for c, _ in runs], [r for _, r in runs]
        bl.update(path, results_document(records, quick, claims))
        if reporter is not None:
            reporter.write_line(f"lrtheory: baseline updated: {path} "
                                f"({'quick' if quick else 'full'} section, "
                                f"{len(records)} claims)")
