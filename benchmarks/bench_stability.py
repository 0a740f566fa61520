"""Network sharpness: Lanczos on exact HVPs against the dense Hessian's eigensolver (EOS-2)."""
import numpy as np
from harness import Benchmark

from lrtheory.stability.network import Network, synthetic_regression

_X, _Y = synthetic_regression(200, 8, seed=0)
_NET = Network(_X, _Y, width=32)
_THETA = _NET.init_params(seed=0)


def _lanczos():
    return _NET.sharpness(_THETA)


def _dense():
    return float(np.linalg.eigvalsh(_NET.hessian(_THETA))[-1])


BENCHMARKS = [Benchmark("stability.sharpness_lanczos_P321", _lanczos, _dense, repeat=3,
                        target="Lanczos faster than n_params HVPs + dense eigvalsh")]
