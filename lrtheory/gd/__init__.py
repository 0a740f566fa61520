"""One gradient-descent kernel for all of lrtheory.

GD with learning rate h on an :class:`~lrtheory.objectives.Objective` f is the map
G_h(x) = x − h∇f(x).  :func:`run_gd` iterates it for many starts and many learning rates
at once and keeps what a :class:`Record` asks for::

    from lrtheory.gd import run_gd, Record, LYAPUNOV

    run = run_gd(obj, x0, lr, steps, record=Record(every=10, classify=True),
                 transient=0, blowup=inf, backend="float64")

* ``x0``: shape (*batch, n); ``lr``: a number, one rate per start (shape (m,)), or any
  array broadcasting against the batch — rates (K, 1) against starts (m, n) give the grid
  of K·m runs.
* :class:`Record` (immutable, like diffrax's ``SaveAt``): ``last``, ``every`` (trajectory
  every k steps), ``tail`` (the last L states), ``coords``, ``loss``, ``lyapunov`` (all n
  exponents by tangent QR, with ``checkpoints``), ``sharpness`` (λ_max of ∇²f at the end),
  ``classify`` (converged / periodic(p) / aperiodic / divergent, see
  :mod:`lrtheory.gd.classify`), ``stop_when_settled``, and streaming statistics that store
  no trajectory (float64): ``moments`` (per-run mean, second moment, minimum, maximum) and
  ``histogram=(lo, hi, bins)`` (per run, or pooled into ``histogram_groups``) over every
  ``thin``-th recorded state.  Presets: ``LAST``, ``TRAJECTORY``, ``LYAPUNOV``,
  ``CLASSIFY``.  A ``transient`` of unrecorded steps comes first.
* Overflow is a result, never a warning or an exception: the run is labelled ``divergent``
  (float64 states become nan; ``blowup`` sets the radius of the ball a run must stay in).
* Backends: ``"float64"`` — vectorized numpy, or per run compiled by numba from the
  printed gradient and Hessian (:mod:`lrtheory.gd.compiled`, chosen automatically for long
  runs when numba is installed — runs that stop when settled start on numpy and switch
  only while runs remain; ``engine="numpy"|"numba"`` forces one,
  ``LRTHEORY_NO_NUMBA=1`` disables numba); ``"mpmath"`` (at ``dps`` digits, via
  :func:`lrtheory.precision.precision`); ``"exact"`` (rationals); ``"arb"`` (balls).
* The result is a :class:`GDRun` (a :class:`lrtheory.results.Result`: ``to_json``,
  ``from_json``, pickling, ``==``), fields documented on the class.

:func:`classify_states` and :func:`settled` classify tails given as arrays;
:func:`sharpness` is λ_max(∇²f) at a batch of points; :mod:`lrtheory.gd.maps` holds the
float evaluators of G_h and DG_h.
"""
from .classify import LABELS, classify_states, settled
from .kernel import BACKENDS, ENGINES, numba_enabled, run_gd, sharpness
from .record import CLASSIFY, LAST, LYAPUNOV, TRAJECTORY, Record, classify_tail_length
from .result import GDRun, ItemAccess

__all__ = ["run_gd", "Record", "GDRun", "LAST", "TRAJECTORY", "LYAPUNOV", "CLASSIFY",
           "LABELS", "BACKENDS", "ENGINES", "classify_states", "settled", "sharpness",
           "classify_tail_length", "numba_enabled", "ItemAccess"]
