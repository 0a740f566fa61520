"""GD as a discrete dynamical system G_h(x) = x − h∇f(x): long-run classification,
periodic orbits, bifurcations, Lyapunov exponents."""
