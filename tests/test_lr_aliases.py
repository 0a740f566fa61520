"""The learning rate is ``lr`` in the public functions; the former keywords ``h`` and
``eta`` still work, with a DeprecationWarning, and give the same result."""
import dataclasses
import importlib
import inspect
import math
import pathlib
import re
import warnings

import numpy as np
import pytest

from lrtheory import balancing
from lrtheory.aliases import lr_keyword
from lrtheory import objectives
from lrtheory.dynamics import completeness, lyapunov, orbits, statistics
from lrtheory.multiscale import analysis, sampling
from lrtheory.objectives import Objective
from lrtheory.plotting import sweeps as plots

RENAMED = [orbits.search_periodic_orbits, orbits.find_periodic_orbits,
           orbits.basin_fractions, lyapunov.lyapunov_exponents, balancing.run_scalar,
           balancing.run_scalar_mp, balancing.run_matrix, balancing.run_matrix_mp,
           balancing.escalated_limit, analysis.sample, plots.plot_sharpness_trajectory,
           plots.plot_cobweb, plots.plot_modified_flow, plots.plot_phase_portrait,
           completeness.minimizer_band, completeness.prove_complete,
           statistics.histogram_convergence, sampling.run_chains, objectives.gd_orbit_exact]


@pytest.mark.parametrize("func", RENAMED, ids=lambda f: f.__name__)
def test_the_learning_rate_parameter_is_lr(func):
    params = inspect.signature(func).parameters
    assert "lr" in params and "h" not in params and "eta" not in params


def test_old_keywords_warn_and_give_the_same_result():
    # GD on x^2/2 is x -> (1 - h) x: the Lyapunov exponent is log|1 - h|
    obj = Objective("x**2/2", "x")
    new = lyapunov.lyapunov_exponents(obj, lr=0.5, x0s=[[1.0]], steps=50, transient=0)
    for old in ("h", "eta"):
        with pytest.warns(DeprecationWarning, match=f"lyapunov_exponents\\({old}=.*lr="):
            res = lyapunov.lyapunov_exponents(obj, x0s=[[1.0]], steps=50, transient=0,
                                              **{old: 0.5})
        assert float(res.exponents[0][0]) == float(new.exponents[0][0])
    assert float(new.exponents[0][0]) == pytest.approx(math.log(0.5), abs=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new keyword and positional calls do not warn
        balancing.run_scalar(1, 9, 1, 4 / 90)
        balancing.run_scalar(1, 9, 1, lr=4 / 90)


def test_the_learning_rate_given_twice_is_refused():
    @lr_keyword
    def step(x, lr):
        return x - lr * x
    with pytest.raises(TypeError, match="twice"):
        step(1.0, lr=0.5, h=0.5)
    with pytest.raises(TypeError, match="twice"):
        step(1.0, h=0.5, eta=0.5)
    with pytest.warns(DeprecationWarning):
        assert step(1.0, eta=0.25) == 0.75


def test_exact_orbit_with_the_old_keyword():
    # x -> (1 - 1/2) x from 1: 1, 1/2, 1/4 exactly
    f = Objective("x**2/2", "x")
    with pytest.warns(DeprecationWarning):
        old = objectives.gd_orbit_exact(f, [1], h="1/2", steps=2)
    assert old == objectives.gd_orbit_exact(f, [1], lr="1/2", steps=2)
    assert [float(x[0]) for x in old] == [1.0, 0.5, 0.25]


# ---- the whole public API ---------------------------------------------------------------
ROOT = pathlib.Path(__file__).resolve().parents[1]

#: Names of the learning rate, or of values derived from it, that the API no longer uses.
OLD_NAMES = ("h", "eta", "hs", "h0", "h_values", "h_start", "hb", "etas", "eta0")

#: Public parameters with one of OLD_NAMES that are not a learning rate: (function,
#: parameter) -> why the name stays.  None at present.
NOT_A_LEARNING_RATE: dict = {}

#: Public functions whose learning rate is still ``h`` (each a learning rate, so listed here
#: and not in NOT_A_LEARNING_RATE).  None at present.
NOT_YET_RENAMED: set = set()


def _public_modules() -> list[str]:
    """The modules of the API reference (``::: module`` in docs/api/*.md) and every package
    (what its ``__init__`` exports)."""
    names = set()
    for page in (ROOT / "docs" / "api").glob("*.md"):
        names.update(re.findall(r"^:::\s*([\w.]+)", page.read_text(encoding="utf-8"), re.M))
    for init in (ROOT / "lrtheory").rglob("__init__.py"):
        names.add(".".join(init.parent.relative_to(ROOT).parts))
    return sorted(names)


def _methods(cls):
    """Public methods of ``cls`` and of its lrtheory bases (inherited ones included), and
    ``__init__`` unless dataclasses wrote it from the fields (fields keep their names)."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("lrtheory"):
            continue
        for name, member in vars(klass).items():
            if name.startswith("_") and name != "__init__":
                continue
            if name == "__init__" and dataclasses.is_dataclass(klass):
                continue
            func = member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
            if inspect.isfunction(func):
                yield func


def _public_functions() -> dict:
    """{module.qualname: function} over the public API: a module's ``__all__``, or else its
    public names defined in lrtheory at or below that module; classes contribute methods."""
    found = {}
    for modname in _public_modules():
        module = importlib.import_module(modname)
        names = getattr(module, "__all__", None) or [
            n for n in dir(module)
            if (getattr(getattr(module, n), "__module__", "") or "").startswith(modname)]
        for name in names:
            obj = getattr(module, name)
            if name.startswith("_") or not (getattr(obj, "__module__", "") or "").startswith(
                    "lrtheory"):
                continue
            funcs = _methods(obj) if inspect.isclass(obj) else [obj] if callable(obj) else []
            for func in funcs:
                found[f"{func.__module__}.{func.__qualname__}"] = func
    return found


def test_no_public_function_names_the_learning_rate_h_or_eta():
    functions = _public_functions()
    assert len(functions) > 300 and "lrtheory.dynamics.orbits.newton_periodic" in functions
    offending = sorted(
        f"{name}({param})" for name, func in functions.items()
        for param in inspect.signature(func).parameters
        if param in OLD_NAMES and (name, param) not in NOT_A_LEARNING_RATE
        and name not in NOT_YET_RENAMED)
    assert offending == [], "learning rate not named lr: " + ", ".join(offending)
    for name, param in NOT_A_LEARNING_RATE:  # no stale entry
        assert param in inspect.signature(functions[name]).parameters, name


def test_old_keywords_across_the_api_warn_and_agree():
    from flint import fmpq
    from lrtheory.dynamics.krawczyk import krawczyk_box
    from lrtheory.multiscale.gibbs import gibbs_variance_quadratic
    from lrtheory.smoothness import descent_factor
    from lrtheory.stability.detectors import edge_of_stability
    f = Objective("x**2/2 + x**4/4", "x")
    with pytest.warns(DeprecationWarning, match=r"krawczyk_box\(h=\.\.\.\)"):
        old = krawczyk_box(f, [[0]], h="1/2", radius=0.1)
    assert old == krawczyk_box(f, [[0]], lr="1/2", radius=0.1)
    # the fixed point 0 has multiplier 1 - h f''(0) = 1/2
    assert old.proved and old.multipliers[0].to_acb().real.contains(fmpq(1, 2))
    # x^2/2: x - h x; from 2 at h = 1/4 one step is 3/2
    with pytest.warns(DeprecationWarning, match=r"gd_step\(h=\.\.\.\)"):
        assert f.numpy.gd_step([[2.0]], h=0.25)[0][0] == 2.0 - 0.25 * (2.0 + 8.0)
    with pytest.warns(DeprecationWarning, match=r"gd_map_exprs\(h=\.\.\.\)"):
        assert f.gd_map_exprs(h=1) == f.gd_map_exprs(lr=1) == (-f.vars[0] ** 3,)
    # balancing: 2/h - 2 mu; descent: c = h(1 - Lh/2); Gibbs: h sigma^2 / (2 c)
    with pytest.warns(DeprecationWarning):
        assert balancing.stability_bound(h=0.25, mu=1) == 6.0
    with pytest.warns(DeprecationWarning):
        assert descent_factor(eta="1/2", L=1) == fmpq(3, 8)
    with pytest.warns(DeprecationWarning):
        assert gibbs_variance_quadratic(h=0.1, sigma2=2.0, curvature=4.0) == 0.1 * 2.0 / 8.0
    # edge of stability took eta=: the same statistics either way
    loss, steps, sharp = np.linspace(1, 0.1, 50), np.arange(0, 50, 5), np.full(10, 3.9)
    with pytest.warns(DeprecationWarning, match=r"edge_of_stability\(eta=\.\.\.\)"):
        old = edge_of_stability(loss, steps, sharp, eta=0.5)
    assert old == edge_of_stability(loss, steps, sharp, lr=0.5)
    assert old.ratio_start == 3.9 * 0.5 / 2


def test_renamed_rate_parameters_warn_and_agree():
    """Parameters derived from the learning rate (hs → lrs, h0 → lr0, h_values →
    lr_values): the old keyword warns and gives the same result; both at once is an
    error.  Feigenbaum's ratio of the values 1, 2, 2.25 is (2 − 1)/(2.25 − 2) = 4."""
    from lrtheory.dynamics.bifurcations import feigenbaum_ratios
    from lrtheory.dynamics.diagrams import orbit_diagram
    with pytest.warns(DeprecationWarning, match=r"feigenbaum_ratios\(hs=\.\.\.\) is deprecated"):
        assert feigenbaum_ratios(hs=[1, 2, 2.25]) == feigenbaum_ratios(lrs=[1, 2, 2.25]) == [4.0]
    with pytest.raises(TypeError, match="hs and lrs"):
        feigenbaum_ratios(hs=[1], lrs=[1])
    f = Objective("x**2/2", "x")
    with pytest.warns(DeprecationWarning):
        old = orbit_diagram(f, h_values=[0.5, 1.5], x0s=[[1.0]], transient=10, keep=2)
    new = orbit_diagram(f, lr_values=[0.5, 1.5], x0s=[[1.0]], transient=10, keep=2)
    assert old == new and np.array_equal(old.h, [0.5, 1.5])
