"""Names of subjects and units as they are compared: one form for every comparison.

A name typed with full-width brackets or spaces (（有限合伙）, 　) and the same name with
half-width ones ((有限合伙)) are one name; so are names differing only in runs of whitespace.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The form names are compared in: NFKC, whitespace runs folded to one space, stripped.

    Two names are the same name exactly when their keys are equal; nothing else (case,
    traditional and simplified characters) is folded.
    """
    return " ".join(unicodedata.normalize("NFKC", name).split())


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)
