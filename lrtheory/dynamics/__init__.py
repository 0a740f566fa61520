"""GD as a discrete dynamical system G_h(x) = x − h∇f(x).

* :mod:`.classify` — long-run classification of trajectories (converged / periodic /
  aperiodic / diverged);
* :mod:`.orbits` — periodic orbits: search with coverage, 50-digit Newton, multipliers,
  basins (BLOG-8);
* :mod:`.krawczyk` — rigorous certification of orbits and multipliers in ball arithmetic;
* :mod:`.completeness` — proof that an orbit list is complete in a box (branch and bound);
* :mod:`.bifurcations` — period doublings and folds in h, Feigenbaum cascades (BLOG-9, KT-2);
* :mod:`.lyapunov` — Lyapunov spectra by QR of tangent maps (BLOG-9, KT-5);
* :mod:`.statistics` — convergence of invariant histograms (BLOG-9);
* :mod:`.diagrams` — orbit diagrams over a range of h;
* :mod:`.maps` — fast float evaluators of G_h for long loops.

The Krawczyk test and the branch and bound behind the certificates are those of
:mod:`lrtheory.certify`.  Results are :mod:`lrtheory.results` objects: they print, round-trip
through JSON exactly and pickle.
"""
