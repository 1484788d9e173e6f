"""Text from the data or the address shown as text: the one place where it is escaped.

Streamlit renders the text of most elements (titles, captions, alerts, link buttons, Markdown)
as Markdown. Every string that comes from a data file or a URL goes through `as_text` before it
reaches such an element, so that no Markdown, HTML, LaTeX, colour code, icon code or image in the
data does anything but show itself.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
SHOWN_CHARS = 40


def as_text(text: str) -> str:
    """`text` with every ASCII punctuation mark as a numeric character reference.

    Markdown then shows it literally: no emphasis, links, images, HTML, LaTeX, Streamlit colour
    or icon codes. Streamlit also turns bare addresses into links after decoding references, so a
    word joiner (U+2060, invisible) is put after `http`, `https`, `ftp`, `www` and `@` to break
    that pattern.
    """
    unlinked = re.sub(r"(?i)(?:https?|ftp|www)(?=[:.])|@", lambda m: m.group() + WORD_JOINER, text)
    return re.sub(r"[!-/:-@\[-`{-~]", lambda match: f"&#{ord(match.group())};", unlinked)


def shown_value(value: str) -> str:
    """A user-supplied value cut to SHOWN_CHARS characters, non-printables as `?` (plain text)."""
    cut = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
    return "".join(c if c.isprintable() else "?" for c in cut)
