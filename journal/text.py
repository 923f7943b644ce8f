"""Pure text helpers shared by the stages: slugs, name matching keys, did-you-mean hints."""

from __future__ import annotations

import difflib
import functools
import hashlib
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


SLUG_BYTES = 120
"""The longest slug, in UTF-8 bytes: a file system takes 255 bytes per name, and a slug
becomes names like 2026-10-01-SLUG-2.md and SLUG/2.html."""

_RESERVED = frozenset({"index"})
"""Slugs that would land on a list page of the site (contacts/index.html, tags/index.html)."""


def slugify(text: str) -> str:
    """The slug of a file name: 'José Díaz & Co.' -> 'jose-diaz-co', '张伟' -> '张伟',
    'Ольга Петрова' -> 'ольга-петрова'. Letters, digits and marks of every script are kept,
    lower-cased and folded as fold() folds them (Latin accents go, as they always did, so
    ASCII slugs are what they were); anything else is a hyphen. A slug too long for a file
    name, empty (a name of emoji) or 'index' becomes a short cut of it plus a hash of the
    whole folded text. Two file names with one slug are one address: the caller reports
    that, naming both files (a file name is the note's or card's identity).

    A slug is made from the fold key, not from the text as written, because one fold key
    is one person and must be one address. So the marks fold() drops in any script go too:
    Cyrillic 'й' is 'и' and a Devanagari virama is gone in an address (never in the page)."""
    return _slug(text, exact=False)


def address(text: str) -> str:
    """The slug of a name that is no file name (a person without a card, a tag), which,
    unlike slugify(), never gives two names one address unless fold() says they are one:
    'Pat Lee' -> 'pat-lee', but 'Pat & Lee' -> 'pat-lee-a015f867' and 'C++' -> 'c-cedb1bac'.
    A name whose slug says all of it (folding the slug gives the name's own fold key) gets
    the bare slug; any other gets the slug plus a hash of its fold key. So an address
    depends on the name alone, never on file order or on which other names the journal
    holds, and adding a note never moves a page. Only a crafted name ('Pat Lee a015f867')
    or a 32-bit hash collision can still meet another: the model checks for that."""
    return _slug(text, exact=True)


@functools.lru_cache(maxsize=1 << 16)
def _slug(text: str, exact: bool) -> str:
    key = fold(text)
    body = _slug_body(key)
    if body and body not in _RESERVED and len(body.encode("utf-8")) <= SLUG_BYTES and (not exact or fold(body) == key):
        return body
    return f"{_cut(body) or 'x'}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def _slug_body(key: str) -> str:
    """A folded text's letters, digits and marks (composed again, NFC, as file names want
    them), with a hyphen for each run of anything else."""
    if key.isascii():
        return re.sub(r"[^a-z0-9]+", "-", key).strip("-")
    composed = unicodedata.normalize("NFC", key)
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNM" else "-" for ch in composed)
    return re.sub(r"-+", "-", kept).strip("-")


def _cut(body: str) -> str:
    """body cut to leave room for '-' and a hash, at a character that is no mark (a mark
    belongs with the letter before it)."""
    room = SLUG_BYTES - 9
    end = min(len(body), room)
    while end > 0 and (len(body[:end].encode("utf-8")) > room or (end < len(body) and unicodedata.category(body[end])[0] == "M")):
        end -= 1
    return body[:end].rstrip("-")


def did_you_mean(word: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices) -> str:
    return ", ".join(choices)


_fold_short = functools.lru_cache(maxsize=1 << 16)(_fold)
