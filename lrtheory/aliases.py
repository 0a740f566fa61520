"""The learning rate is ``lr`` in lrtheory's public functions (``--lr`` on the command line).

Functions that took it as ``h`` or ``eta`` keep accepting those keywords for a while, with a
:class:`DeprecationWarning`: :func:`lr_keyword` rewrites ``h=`` / ``eta=`` into ``lr=``.
Positional calls are unchanged."""
from __future__ import annotations

import functools
import warnings

#: Former keyword names of the learning rate.
OLD_NAMES = ("h", "eta")


def lr_keyword(func):
    """Decorator: ``func(..., h=0.1)`` and ``func(..., eta=0.1)`` call ``func(..., lr=0.1)``
    and warn (:class:`DeprecationWarning`); giving two of them is a :class:`TypeError`."""
    @functools.wraps(func)
    def call(*args, **kwargs):
        given = [name for name in OLD_NAMES if name in kwargs] if kwargs else None
        if given:
            if len(given) > 1 or "lr" in kwargs:
                raise TypeError(f"{func.__name__}() got the learning rate twice "
                                f"({', '.join(given + ['lr'] * ('lr' in kwargs))})")
            warnings.warn(f"{func.__name__}({given[0]}=...) is deprecated: the learning rate "
                          "is lr=", DeprecationWarning, stacklevel=2)
            kwargs["lr"] = kwargs.pop(given[0])
        return func(*args, **kwargs)
    return call
