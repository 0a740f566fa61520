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


def renamed(**old_to_new):
    """Decorator for parameters derived from the learning rate that were renamed (``hs`` →
    ``lrs``, ``h0`` → ``lr0``): ``func(..., hs=…)`` calls ``func(..., lrs=…)`` and warns
    (:class:`DeprecationWarning`); giving both names is a :class:`TypeError`."""
    def wrap(func):
        @functools.wraps(func)
        def call(*args, **kwargs):
            if kwargs:
                for old, new in old_to_new.items():
                    if old in kwargs:
                        if new in kwargs:
                            raise TypeError(f"{func.__name__}() got {old} and {new}")
                        warnings.warn(f"{func.__name__}({old}=...) is deprecated: it is "
                                      f"{new}=", DeprecationWarning, stacklevel=2)
                        kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)
        return call
    return wrap
