"""The one error type users see.

Every problem with user input (a malformed expression, an unknown variable, h <= 0,
a Newton iteration that fails to converge, ...) raises :class:`InputError`.
The CLI turns it into exit code 2 and a single line on stderr.
"""


class LRTheoryError(Exception):
    """Base class of lrtheory's own errors."""


class InputError(LRTheoryError, ValueError):
    """Bad input: the message says what is wrong and how to fix it."""


class ComputationError(LRTheoryError):
    """A computation could not produce a result (e.g. Newton did not converge)."""
