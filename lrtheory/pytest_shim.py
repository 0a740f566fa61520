"""lrtheory's pytest plugin entry point (group ``pytest11``): a small shim.

It adds the ``--lrtheory-*`` options and, only when a test module holds the claim tests
of :func:`lrtheory.pytest_plugin.claim_tests` (or at the end of a session that ran them),
imports :mod:`lrtheory.pytest_plugin`, which turns each claim into a test item.  Projects
that do not use lrtheory's claims pay for nothing but the options.
"""
from __future__ import annotations

import sys
import types

import pytest

MARK = "__lrtheory_claim_tests__"


def pytest_addoption(parser):
    group = parser.getgroup("lrtheory", "lrtheory claims")
    group.addoption("--lrtheory-update-baseline", action="store_true", default=False,
                    help="record the verdicts and key numbers of the claims run in the "
                         "project's baseline instead of comparing with it")
    group.addoption("--lrtheory-claims", action="append", default=[], metavar="ID",
                    help="run only these claims (IDs or prefixes; comma-separated, "
                         "repeatable)")
    group.addoption("--lrtheory-quick", action="store_true", default=False,
                    help="run the claims' quick versions (and compare with the baseline's "
                         "quick section)")
    group.addoption("--lrtheory-baseline", default=None, metavar="PATH",
                    help="the baseline to compare with or update (default: the project's)")


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector, name, obj):
    if isinstance(obj, types.FunctionType) and MARK in obj.__dict__:
        from lrtheory import pytest_plugin
        return pytest_plugin.make_collector(collector, name, obj)
    return None


def pytest_sessionfinish(session, exitstatus):
    plugin = sys.modules.get("lrtheory.pytest_plugin")
    if plugin is not None:
        plugin.session_finish(session)
