"""Multiscale objectives and deterministic GD as a sampler (Kong & Tao; KT-1..KT-5).

* :mod:`.model`     f₀ + ε f₁(x/ε) (periodic) and f₀ + ε F₁(Ωx/ε) (quasi-periodic);
* :mod:`.noise`     σ² and Cov ζ of ζ = −∇f_{1,ε}(U): exact period/torus averages or
  quadrature with an error estimate;
* :mod:`.sampling`  long float64 GD runs vectorized over chains, with running statistics;
* :mod:`.gibbs`     Gibbs law, bounded-noise variance, TV / KS distances, iid-noise chains;
* :mod:`.transfer`  the bounded-noise stationary law by a transfer-operator solve;
* :mod:`.regimes`   regime classifier, period-doubling points, bifurcation diagram;
* :mod:`.roundoff`  statistics recomputed in mpmath / from perturbed starts;
* :mod:`.analysis`  the measured summary behind ``lrtheory multiscale``.
"""
