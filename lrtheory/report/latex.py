"""LaTeX text safety for the report: escaping, unicode, long tokens and vetting of the
LaTeX that results carry (claim statements and derived formulas).

Every string of the results document that is not LaTeX by contract goes through
:func:`escape`.  Claim statements and ``formulas[].latex`` are LaTeX by contract; they go
through :func:`vet` first, which rejects what cannot be typeset safely inside the report
(unbalanced groups, comments, file or catcode commands, ...).  A rejected block is shown
escaped, as source text, with the reason.

Unicode: the document uses pdflatex with the default OT1 Computer Modern fonts (Type 1,
always installed).  :data:`UNICODE_MAP` gives a LaTeX rendering for the symbols our texts
use; the preamble declares them with ``\\DeclareUnicodeCharacter`` so that they work in
text and in math, escaped or raw.  Latin letters with accents that OT1 can build are left
to ``inputenc``; any other character becomes a visible ``<U+XXXX>`` marker instead of a
compile error.
"""
from __future__ import annotations

import re
import unicodedata

from .. import limits


class Latex(str):
    """A string that is already LaTeX: the template prints it as is."""


def _sup(s: str) -> str:
    return r"\ensuremath{^{" + s + "}}"


def _sub(s: str) -> str:
    return r"\ensuremath{_{" + s + "}}"


def _math(s: str) -> str:
    return r"\ensuremath{" + s + "}"


_GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ϵ": r"\epsilon", "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta",
    "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "µ": r"\mu", "ν": r"\nu",
    "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "υ": r"\upsilon",
    "φ": r"\varphi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Γ": r"\Gamma", "Δ": r"\Delta", "∆": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda",
    "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi", "Ψ": r"\Psi",
    "Ω": r"\Omega",
}
_SYMBOLS = {
    "‖": r"\|", "∥": r"\parallel", "≤": r"\le", "≥": r"\ge", "⩽": r"\le", "⩾": r"\ge",
    "≲": r"\lesssim", "≳": r"\gtrsim", "≪": r"\ll", "≫": r"\gg", "≠": r"\neq",
    "≈": r"\approx", "≃": r"\simeq", "≅": r"\cong", "≡": r"\equiv", "∼": r"\sim",
    "∝": r"\propto", "→": r"\to", "←": r"\leftarrow", "↔": r"\leftrightarrow",
    "↦": r"\mapsto", "↑": r"\uparrow", "↓": r"\downarrow", "↛": r"\not\to",
    "↗": r"\nearrow", "↘": r"\searrow", "⇑": r"\Uparrow", "⇓": r"\Downarrow",
    "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow",
    "⟹": r"\Longrightarrow", "∇": r"\nabla", "∂": r"\partial", "∞": r"\infty",
    "×": r"\times", "÷": r"\div", "·": r"\cdot", "⋅": r"\cdot", "∗": r"\ast",
    "∘": r"\circ", "±": r"\pm", "∓": r"\mp", "−": "-", "∈": r"\in", "∉": r"\notin",
    "∋": r"\ni", "⊂": r"\subset", "⊆": r"\subseteq", "⊃": r"\supset", "⊇": r"\supseteq",
    "∪": r"\cup", "∩": r"\cap", "∖": r"\setminus", "∅": r"\emptyset", "∀": r"\forall",
    "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "⊥": r"\perp",
    "⊤": r"\top", "⊗": r"\otimes", "⊕": r"\oplus", "∑": r"\sum", "∏": r"\prod",
    "∫": r"\int", "√": r"\surd", "⟨": r"\langle", "⟩": r"\rangle", "⌈": r"\lceil",
    "⌉": r"\rceil", "⌊": r"\lfloor", "⌋": r"\rfloor", "∣": r"\mid", "ℓ": r"\ell",
    "ℏ": r"\hbar", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "…": r"\ldots", "⋯": r"\cdots",
    "•": r"\bullet", "°": r"^{\circ}", "′": r"^{\prime}", "″": r"^{\prime\prime}",
    "½": r"\tfrac{1}{2}", "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}",
    "ẋ": r"\dot{x}", "ẏ": r"\dot{y}", "ż": r"\dot{z}",
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ",
                         list("0123456789+-=()ni") + [r"\mathsf{T}"]))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ",
                       "0123456789+-=()aeoxhklmnpstij"))
_TEXT = {
    "\u00a0": "~", "\u2009": r"\,", "\u202f": r"\,", "\u2002": r"\enspace",
    "\u2003": r"\quad", "\u2010": "-", "\u2011": "-", "–": r"\textendash{}",
    "—": r"\textemdash{}", "‘": "`", "’": "'", "“": "``", "”": "''", "†": r"\dag{}",
    "‡": r"\ddag{}", "§": r"\S{}", "¶": r"\P{}", "©": r"\copyright{}",
    "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "ø": r"\o{}", "Ø": r"\O{}",
    "œ": r"\oe{}", "Œ": r"\OE{}", "ı": r"\i{}",
}

#: LaTeX for the non-ASCII characters our texts use (declared in the preamble).
UNICODE_MAP: dict[str, str] = {
    **{c: _math(v) for c, v in {**_GREEK, **_SYMBOLS}.items()},
    **{c: _sup(v) for c, v in _SUPERSCRIPTS.items()},
    **{c: _sub(v) for c, v in _SUBSCRIPTS.items()},
    **_TEXT,
}

#: Combining accents OT1 fonts can build (inputenc turns é into \'e, ...).
_ACCENTS = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0304", "\u0306", "\u0307",
            "\u0308", "\u030a", "\u030b", "\u030c", "\u0327"}

_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
    "%": r"\%", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}", "-": "-{}", "`": "{`}", "[": "{[}", "]": "{]}", "*": "{*}",
}

#: Characters after which a long token may break.
_BREAK_AFTER = set("/.,;:=_-+*)]}|\\")
LONG_TOKEN = 18
_CHUNK = 10


def unicode_declarations() -> str:
    """Preamble lines declaring :data:`UNICODE_MAP` for pdflatex's inputenc."""
    return "\n".join(rf"\DeclareUnicodeCharacter{{{ord(c):04X}}}{{{v}}}"
                     for c, v in sorted(UNICODE_MAP.items()))


def inputenc_can_typeset(ch: str) -> bool:
    """True for a Latin letter with one accent that OT1 builds (é, ü, ñ, ç, ...)."""
    parts = unicodedata.normalize("NFD", ch)
    return (len(parts) == 2 and parts[0].isascii() and parts[0].isalpha()
            and parts[1] in _ACCENTS)


def unknown_char(ch: str) -> str:
    """A visible marker for a character LaTeX cannot typeset here."""
    return rf"\lrU{{{ord(ch):04X}}}"


def _char_safe(ch: str) -> bool:
    return ch in UNICODE_MAP or inputenc_can_typeset(ch)


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ch.isascii():
        return ch if ch.isprintable() else " "
    return ch if _char_safe(ch) else unknown_char(ch)


def _escape_token(token: str, long: int = LONG_TOKEN, chunk: int = _CHUNK) -> str:
    """Escape one whitespace-free token; tokens longer than ``long`` get break points
    after the characters of :data:`_BREAK_AFTER` and every ``chunk`` characters."""
    if len(token) <= long:
        return "".join(_escape_char(c) for c in token)
    out, run = [], 0
    for c in token:
        out.append(_escape_char(c))
        run += 1
        if c in _BREAK_AFTER or run >= chunk:
            out.append(r"\allowbreak{}")
            run = 0
    return "".join(out)


def escape(text) -> Latex:
    """Escape any value as LaTeX text: specials, unicode, control characters, and break
    points inside long tokens (paths, hashes, huge numbers) so that lines can wrap.
    Newlines become spaces; use :func:`escape_lines` to keep them."""
    if text is None:
        return Latex("")
    if isinstance(text, Latex):
        return text
    return _escape_words(text, LONG_TOKEN, _CHUNK)


def _escape_words(text, long: int, chunk: int) -> Latex:
    parts = re.split(r"(\s+)", str(text))
    return Latex("".join(" " if p.isspace() else _escape_token(p, long, chunk)
                         for p in parts if p))


#: Keys this long stay whole in a narrow column (BLOG, WCZT, S12).
SHORT_KEY = 4


def escape_key(text) -> Latex:
    """Escape a key that sits in a narrow table column (a source key such as
    ``KongTao2020-multiscale``): a key longer than :data:`SHORT_KEY` characters may break
    after any character, so that it wraps inside its column instead of overflowing it (TeX
    breaks it only where the column is too narrow)."""
    return Latex("") if text is None else _escape_words(text, SHORT_KEY, 1)


def escape_lines(text, keep_indent: bool = True) -> Latex:
    """Escape multi-line text (tracebacks, logs), keeping its lines and indentation."""
    lines = []
    for line in str(text).expandtabs(4).splitlines():
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        pad = rf"\hspace*{{{indent * 0.5:g}em}}" if keep_indent and indent else ""
        lines.append(pad + escape(body))
    return Latex("\\newline\n".join(l or "~" for l in lines))


def pdf_string(text) -> str:
    """A plain ASCII rendering for PDF bookmarks (letters, digits, simple punctuation)."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 .,:;()+=*/'-]", " ", s).strip()


# -- vetting LaTeX carried by the results -------------------------------------------------
#
# An allowlist at the token level: TeX's ^^ notation is decoded first (as TeX reads it),
# then every control sequence must be one of the typesetting commands below and every
# environment one of the environments below.  Nothing on these lists reads or writes a
# file, defines a macro, changes a catcode or reaches a PDF primitive; a statement that
# uses anything else is shown as source text with the reason.

_WORDS = """
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa
lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi
omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega digamma
le leq ge geq ne neq approx sim simeq cong equiv propto ll gg lesssim gtrsim leqslant
geqslant lessgtr prec succ preceq succeq subset supset subseteq supseteq subsetneq
supsetneq in notin ni mid nmid parallel nparallel perp models vdash dashv asymp doteq
to mapsto rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow
longrightarrow longleftarrow longleftrightarrow Longrightarrow Longleftarrow
Longleftrightarrow longmapsto implies impliedby iff uparrow downarrow updownarrow
Uparrow Downarrow nearrow searrow swarrow nwarrow hookrightarrow hookleftarrow
rightharpoonup leftharpoonup rightleftharpoons gets
pm mp times div cdot cdotp ast star circ bullet oplus ominus otimes oslash odot cup cap
setminus smallsetminus wedge vee land lor lnot neg sqcup sqcap triangle bigtriangleup
bigtriangledown triangleleft triangleright intercal amalg wr
sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes bigodot bigvee
bigwedge bigsqcup
sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth exp log ln lg det dim
ker deg gcd hom inf sup lim liminf limsup max min Pr arg bmod pmod mod
infty nabla partial forall exists nexists emptyset varnothing Re Im ell hbar hslash imath
jmath aleph beth prime backprime dagger ddagger angle measuredangle top bot flat natural
sharp surd diamond Diamond Box square blacksquare triangledown checkmark complement
ldots cdots vdots ddots dots dotsc dotsb dotsm dotsi colon lbrace rbrace lbrack rbrack
left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm
langle rangle lceil rceil lfloor rfloor lvert rvert lVert rVert vert Vert backslash
frac dfrac tfrac cfrac sqrt binom dbinom tbinom overline underline overbrace underbrace
overrightarrow overleftarrow widehat widetilde hat tilde bar vec dot ddot dddot acute
grave check breve mathring stackrel overset underset substack boxed operatorname
limits nolimits displaystyle textstyle scriptstyle scriptscriptstyle phantom hphantom
vphantom smash not mathop mathbin mathrel mathord mathopen mathclose mathpunct
mathbb mathcal mathfrak mathrm mathbf mathit mathsf mathtt boldsymbol pmb
textbf textit textrm textsf texttt textup textsl textsc textmd textnormal emph text mbox
tiny scriptsize footnotesize small normalsize large Large
quad qquad enspace thinspace medspace thickspace negthinspace negmedspace
negthickspace hspace hfill allowbreak newline linebreak nobreak par item nonumber notag
S P dag ddag copyright pounds textbackslash textasciitilde textasciicircum textbar
textless textgreater textendash textemdash textquotedblleft textquotedblright
textquoteleft textquoteright textbullet textperiodcentered slash ensuremath i j
o O ae AE oe OE aa AA ss l L
begin end
"""
#: Control words user LaTeX (statements, formulas, inline math) may use.
ALLOWED_COMMANDS = frozenset(_WORDS.split()) | {"lrU"}  # lrU: the <U+XXXX> marker
#: Control symbols (backslash + one character) user LaTeX may use.
ALLOWED_SYMBOLS = frozenset("\\,;:!> {}%$&#_|()[]-/'`^~\"=.@")
#: Environments user LaTeX may open, in a formula (math) and in a statement (text).
MATH_ENVIRONMENTS = frozenset({"aligned", "gathered", "split", "cases", "matrix", "pmatrix",
                               "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix",
                               "array", "subarray"})
TEXT_ENVIRONMENTS = MATH_ENVIRONMENTS | {"itemize", "enumerate", "equation*", "align*",
                                         "gather*", "multline*"}
#: Characters of user LaTeX vetted at most (longer blocks are shown as source).
MAX_LATEX_CHARS = limits.MAX_LATEX_CHARS

_CARETS = re.compile(r"\^\^([0-9a-f]{2})|\^\^([\x00-\x7f])")
_CONTROL = re.compile(r"\\([A-Za-z]+|[\s\S]?)")


def decode_carets(text: str) -> str:
    """TeX's ``^^`` notation decoded as TeX reads it (``^^5c`` is ``\\``, ``^^M`` is a
    carriage return, ``^^^^`` … repeatedly), and characters that cannot be typeset
    dropped, until nothing changes: what is left is exactly what TeX will read."""
    def one(m: re.Match) -> str:
        if m.group(1):
            return chr(int(m.group(1), 16))
        c = ord(m.group(2))
        return chr(c + 64 if c < 64 else c - 64)
    while True:
        new = _clean(_CARETS.sub(one, text))
        if new == text:
            return text
        text = new


def _clean(s: str) -> str:
    """Drop control characters (tab and newline stay) and mark untypesettable ones."""
    return "".join(c if (c.isascii() and (c.isprintable() or c in "\n\t")) or
                   (not c.isascii() and _char_safe(c))
                   else ("" if c.isascii() else unknown_char(c)) for c in s)


def _tokens_problem(s: str, math: bool) -> str | None:
    """Why the control sequences or environments of ``s`` are not allowed, or None."""
    if "^^" in s:
        return "it uses TeX's ^^ character notation"
    for m in _CONTROL.finditer(s):
        name = m.group(1)
        if not name:
            return "it ends with a lone backslash"
        if len(name) == 1 and not name.isalpha():
            if name not in ALLOWED_SYMBOLS:
                return f"it uses the control symbol \\{name}, which is not allowed"
        elif name not in ALLOWED_COMMANDS:
            return (f"it uses \\{name}, which is not among the LaTeX commands a statement "
                    "may use (a report must not run it)")
    allowed = MATH_ENVIRONMENTS if math else TEXT_ENVIRONMENTS
    for m in re.finditer(r"\\(?:begin|end)\s*(\{([^{}]*)\})?", s):
        if m.group(1) is None:
            return "its \\begin/\\end has no environment name in braces"
        if m.group(2).strip() not in allowed:
            return f"it uses the environment {m.group(2).strip()!r}, which is not allowed"
    return None


def _strip_escaped(s: str) -> str:
    """Remove escaped characters (\\{, \\%, \\\\ ...) so that counts see only live ones."""
    return re.sub(r"\\[^A-Za-z]", "", s)


def _environments_balanced(s: str) -> bool:
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\s*\{([^{}]*)\}", s):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def _braces_balanced(s: str) -> bool:
    depth = 0
    for c in _strip_escaped(s):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _problems(s: str, math: bool) -> str | None:
    live = _strip_escaped(s)
    checks = [
        (lambda: not s.strip(), "it is empty"),
        (lambda: len(s) > MAX_LATEX_CHARS, f"it is longer than {MAX_LATEX_CHARS} characters"),
        (lambda: _tokens_problem(s, math), None),
        (lambda: "%" in live, "it contains an unescaped % (a comment)"),
        (lambda: "#" in live, "it contains an unescaped #"),
        (lambda: not _braces_balanced(s), "its braces are unbalanced"),
        (lambda: not _environments_balanced(s), "its \\begin/\\end are unbalanced"),
        (lambda: s.count(r"\(") != s.count(r"\)"), "its \\( \\) are unbalanced"),
        (lambda: s.count(r"\[") != s.count(r"\]"), "its \\[ \\] are unbalanced"),
        (lambda: not math and live.count("$") % 2 == 1, "its $ signs are unbalanced"),
        (lambda: math and ("$" in live or r"\(" in s or r"\[" in s),
         "a formula must be math content, without $ or \\( \\[ delimiters"),
    ]
    for bad, reason in checks:
        found = bad()
        if found:
            return found if reason is None else reason
    return None


def vet(latex, math: bool = False) -> tuple[Latex | None, str | None]:
    """Check LaTeX carried by the results (``math``: a formula body, else a statement in
    text mode) against the allowlist, after decoding TeX's ``^^`` notation.  Returns
    ``(safe_latex, None)`` — the decoded text, which is exactly what TeX will read — or
    ``(None, reason)``.  Characters that cannot be typeset become ``<U+XXXX>`` markers;
    control characters are dropped."""
    text = str(latex)
    if len(text) > 4 * MAX_LATEX_CHARS:
        return None, f"it is longer than {MAX_LATEX_CHARS} characters"
    s = decode_carets(text)
    reason = _problems(s, math)
    return (None, reason) if reason else (Latex(s), None)


_MATH_SEGMENT = re.compile(r"(?<!\\)\$([^$]+?)(?<!\\)\$")


def escape_with_math(text) -> Latex:
    """Escape prose, keeping ``$...$`` segments as inline math when they pass :func:`vet`
    (as math, without line breaks); any other ``$`` is printed as a dollar sign."""
    text = "" if text is None else str(text)
    out, pos = [], 0
    for m in _MATH_SEGMENT.finditer(text):
        safe, _ = vet(m.group(1), math=True)
        if safe is None or "\\\\" in safe or "&" in _strip_escaped(safe):
            continue
        out += [escape(text[pos:m.start()]), f"${safe}$"]
        pos = m.end()
    out.append(escape(text[pos:]))
    return Latex("".join(out))
