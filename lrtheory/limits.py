"""Resource limits on everything lrtheory reads from outside, in one place.

Every limit is checked before the work it bounds starts, and exceeding one raises
:class:`~lrtheory.errors.InputError` naming the limit and its value.  Where a computation
cannot be bounded up front (a LaTeX compile), it runs under a time-out instead.

:func:`describe` lists the limits in words (for ``--help`` texts and the README).
"""
from __future__ import annotations

#: Characters of one expression or number given as text.
MAX_TEXT_CHARS = 10_000
#: Decimal digits of any exact integer read or built while parsing (a literal, the
#: numerator or denominator of a decimal such as 1e-400, or a folded constant like 2**64).
MAX_INTEGER_DIGITS = 1_000
#: |k| (and the denominator of k) of an exact power x**k with a numeric exponent.
MAX_EXPONENT = 1_000
#: Nesting depth of an expression: parentheses, function calls, signs and powers.
MAX_DEPTH = 100
#: Nodes of a parsed expression tree.
MAX_NODES = 5_000
#: Variables of one objective given as text.
MAX_VARIABLES = 32

#: Bytes of an input file (a results document or a baseline).
MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024
#: Nesting depth of the JSON in an input file.
MAX_JSON_DEPTH = 64

#: Cells of one sweep, basin map or orbit diagram (grid points × learning rates ×
#: parameter values), and bytes of the dataset it assembles (about three times that is
#: held at once while it is assembled and written).  2²⁵ cells: a 4096 × 4096 basin map
#: (16 777 216 starts) is within the limit, 8192 × 8192 is not.
MAX_SWEEP_CELLS = 2 ** 25
MAX_SWEEP_BYTES = 2 ** 30
#: Bytes a basin map may hold at once while it labels its starts, estimated before the
#: sweep runs (:func:`lrtheory.sweeps.basins.labelling_bytes`: 32n + 64 bytes a cell
#: for n variables — the dataset, the limits, their losses, curvatures and cell keys).
MAX_BASIN_BYTES = 4 * 2 ** 30
#: Bytes one stored chunk of a sweep may expand to when it is read back.
MAX_CHUNK_BYTES = 256 * 2 ** 20

#: Figure entries of one results file (each is copied, and rendered when it has no PNG).
MAX_FIGURES = 300
#: Claims of one results file.
MAX_CLAIMS = 10_000
#: learning-rate boxes of an atlas (``lrtheory atlas --boxes``) and bisections of one box
MAX_ATLAS_BOXES = 100_000
MAX_ATLAS_DEPTH = 20

#: Seconds one LaTeX compile (latexmk with all its passes) may take.
LATEX_TIMEOUT = 120
#: Seconds all compiles of one report may take together (fallback rebuilds included).
LATEX_TOTAL_SECONDS = 360
#: Bytes of address space a TeX process may use.
LATEX_MEMORY_BYTES = 2 * 1024 ** 3
#: Characters of one LaTeX statement or formula from the results.
MAX_LATEX_CHARS = 20_000

#: Bits of the mantissa and of the precision of a number read from a results file (an
#: mpf, a Ball, a sympy Float), and the largest |binary exponent| it may have.
MAX_DECODED_BITS = 100_000
MAX_BINARY_EXPONENT = 2 ** 20

#: Binary digits of the largest integer of MAX_INTEGER_DIGITS decimal digits.
MAX_INTEGER_BITS = int(MAX_INTEGER_DIGITS * 3.3219280948873626) + 1


def describe() -> str:
    """The limits in one paragraph, e.g. for a command's ``--help`` epilog."""
    return (f"Limits: expressions and numbers up to {MAX_TEXT_CHARS} characters, "
            f"{MAX_DEPTH} levels of nesting and {MAX_NODES} tree nodes; exact integers up "
            f"to {MAX_INTEGER_DIGITS} digits; powers x**k with |k| <= {MAX_EXPONENT}; "
            f"at most {MAX_VARIABLES} variables; input files up to "
            f"{MAX_INPUT_FILE_BYTES // 2**20} MiB with JSON nested at most "
            f"{MAX_JSON_DEPTH} deep; sweeps of at most {MAX_SWEEP_CELLS} cells and "
            f"{MAX_SWEEP_BYTES // 2**20} MiB of data (basin maps labelling up to "
            f"{MAX_BASIN_BYTES // 2**20} MiB); a LaTeX compile may take {LATEX_TIMEOUT} s "
            f"({LATEX_TOTAL_SECONDS} s per report) and {LATEX_MEMORY_BYTES // 2**30} GiB.")
