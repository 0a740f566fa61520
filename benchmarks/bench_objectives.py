"""Objective evaluators: vectorized numpy gradient against a per-point Python loop."""
import numpy as np
from harness import Benchmark

from lrtheory.catalogue import factorization_vector

_OBJ = factorization_vector(1, 1)
_PTS = np.random.default_rng(0).uniform(-2, 2, size=(100_000, 2))


def _vectorized():
    return _OBJ.numpy.gd_step(_PTS, 0.5)


def _loop():
    """The same step written as a per-point Python loop."""
    out = np.empty_like(_PTS)
    for i, (x, y) in enumerate(_PTS):
        r = x * y - 1.0
        out[i] = (x - 0.5 * r * y, y - 0.5 * r * x)
    return out


BENCHMARKS = [Benchmark("objectives.gd_step_numpy_100k", _vectorized, _loop, repeat=5,
                        target="vectorized >> loop")]
