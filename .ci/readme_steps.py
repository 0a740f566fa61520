"""The README's own command lines, as a newcomer would copy them.

    python3 .ci/readme_steps.py apt          # the system packages line
    python3 .ci/readme_steps.py quick-start  # the two quick-start lines, in order
    python3 .ci/readme_steps.py docs         # the documentation build (without `mkdocs serve`)

Each prints one command per line (comments after ``#`` removed), read from the README on
standard input or from the path given as the second argument.  ``.ci/run`` runs exactly
these lines, so the README and CI cannot drift apart; tests/test_readme.py checks what they
extract.
"""
from __future__ import annotations

import re
import sys

_SECTIONS = {"quick-start": "Quick start", "docs": "Documentation"}


def _sh_block(text: str, heading: str, containing: str = "") -> list[str]:
    """The command lines of the first ```sh block under ``## heading`` that contains
    ``containing``."""
    section = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if section is None:
        raise SystemExit(f"the README has no section '## {heading}'")
    blocks = [b for b in re.findall(r"```sh\n(.*?)```", section.group(1), re.S)
              if containing in b]
    if not blocks:
        raise SystemExit(f"the README's section '{heading}' has no ```sh block with "
                         f"{containing or 'commands'}")
    lines = [re.sub(r"\s+#.*$", "", ln).strip() for ln in blocks[0].splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("#")]


def steps(text: str, which: str) -> list[str]:
    """The lines of ``which`` (``apt``, ``quick-start`` or ``docs``) in README ``text``."""
    if which == "apt":
        return _sh_block(text, "Quick start", containing="apt-get install")
    if which == "docs":
        return [ln for ln in _sh_block(text, _SECTIONS[which])
                if not ln.startswith("mkdocs serve")]
    if which in _SECTIONS:
        return _sh_block(text, _SECTIONS[which])
    raise SystemExit(f"unknown step list {which!r}: apt, quick-start or docs")


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    text = open(argv[2], encoding="utf-8").read() if len(argv) == 3 else sys.stdin.read()
    print("\n".join(steps(text, argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
