"""Pure text helpers shared by the stages: slugs, name matching keys, did-you-mean hints."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata


def fold(text: str) -> str:
    """A key under which 'José  Díaz' and 'jose diaz' are the same person. Short texts
    (names, slugs, tags) are remembered: assembling 10,000 notes folds 170,000 of them."""
    return _fold_short(text) if len(text) <= 80 else _fold(text)


def _fold(text: str) -> str:
    """fold() itself. Looks at each distinct character once, not at every character:
    search folds whole notes."""
    decomposed = unicodedata.normalize("NFKD", text)
    marks = {ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)}
    bare = decomposed.translate(marks) if marks else decomposed
    return " ".join(bare.casefold().replace("-", " ").replace("_", " ").split())


def slugify(text: str) -> str:
    """An ASCII file-name slug: 'José Díaz & Co.' -> 'jose-diaz-co'."""
    folded = fold(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug or "x"


def did_you_mean(word: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices) -> str:
    return ", ".join(choices)


_fold_short = functools.lru_cache(maxsize=1 << 16)(_fold)
