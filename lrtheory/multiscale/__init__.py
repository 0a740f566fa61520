"""Multiscale objectives and deterministic GD as a sampler (Kong & Tao; KT-1..KT-5)."""
