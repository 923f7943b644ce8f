"""Pure text helpers shared by the stages: slugs, name matching keys, did-you-mean hints."""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date


def fold(text: str) -> str:
    """A key under which 'José  Díaz' and 'jose diaz' are the same person. Short texts
    (names, slugs, tags) are remembered: assembling 10,000 notes folds 170,000 of them."""
    return _fold_short(text) if len(text) <= 80 else _fold(text)


def _fold(text: str) -> str:
    """fold() itself."""
    return " ".join(unaccented(text).casefold().replace("-", " ").replace("_", " ").split())


def unaccented(text: str) -> str:
    """The text decomposed (NFKD) without its combining marks: 'José' -> 'Jose'. Looks at
    each distinct character once, not at every character (search reads whole notes), and
    returns ASCII as it is: it has nothing to decompose."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    marks = "".join(ch for ch in set(decomposed) if unicodedata.combining(ch))
    return re.sub(f"[{re.escape(marks)}]", "", decomposed) if marks else decomposed


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
    while end > 0 and (
        len(body[:end].encode("utf-8")) > room or (end < len(body) and unicodedata.category(body[end])[0] == "M")
    ):
        end -= 1
    return body[:end].rstrip("-")


def did_you_mean(word: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices) -> str:
    return ", ".join(choices)


_fold_short = functools.lru_cache(maxsize=1 << 16)(_fold)


ME_WORDS = frozenset({"me", "i", "myself"})
"""What a note may write for its owner, besides the owner's name and aliases (fold keys)."""


def typo_budget(length: int) -> int:
    """How many edits apart two words may be and still be taken for a typo, by the longer
    one's length: none under 4 letters ('Wu' and 'Xu', 'Li' and 'Lu' are different people),
    one up to 7 ('Exampel', 'Omr' for 'Omar'), two from 8 ('Kowalksy' for 'Kowalski')."""
    return 0 if length < 4 else 1 if length < 8 else 2


def _edits(a: str, b: str) -> int:
    """Edits from a to b: insertions, deletions, substitutions and swaps of two neighbours
    (optimal string alignment distance). Words here are a few letters long."""
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return row[-1]


def _deletions(word: str, depth: int) -> set[str]:
    """word with up to `depth` letters taken out: two words within `depth` edits of each
    other share one of these (the symmetric-deletion trick), so near words are found by
    lookup, not by comparing each pair."""
    found = frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found = found | frontier
    return found


class NameIndex:
    """The names a journal knows (cards, their aliases, the owner, names declared new), to
    question a name it does not know that is close to one of them. Built once per set of
    names; only unknown names are looked up, so a journal of known names pays for the
    build alone.

    An unknown name is close to a known one when it has the same letters with other spaces
    or punctuation ('Samexample'), is a single word that begins a known name ('Sam' for
    'Sam Lee', 'Greg' for the alias 'Gregory', 'Alex' for 'Alexandra Ng'), has the same
    words in another order ('Example Sam'), or the same words but for typos ('Sam Exampel'). Only a word no known name uses is taken for a
    typo, and words in another order only when some word is not used where it stands in a
    known name: an address book holds many real people a letter or an order apart. So
    'Sam Wu' is not questioned beside 'Sam Lee' and 'Ann Wu', 'Mario Rossi' not beside
    'Maria Rossi' when some card says 'Mario', nor 'Lee Kim' beside 'Kim Lee' when cards
    have a first name Lee and a surname Kim."""

    def __init__(self, names: frozenset[tuple[str, str]]):
        self.names = dict(names)  # fold key -> the name as written
        self.by_order: dict[str, set[str]] = {}
        self.by_letters: dict[str, set[str]] = {}
        self.by_slot: dict[tuple[int, int, str], set[str]] = {}
        self.by_start: dict[str, set[str]] = {}  # 3+ letters that begin a name's first word
        self.words: set[str] = set()
        self.users: dict[str, int] = {}  # word -> how many known names use it
        for key in self.names:
            words = key.split()
            if not _letters(key):
                continue
            self.by_order.setdefault(" ".join(sorted(words)), set()).add(key)
            self.by_letters.setdefault(_letters(key), set()).add(key)
            for place, word in enumerate(words):
                self.by_slot.setdefault((len(words), place, word), set()).add(key)
            for end in range(3, min(len(words[0]), _LONGEST_WORD) + 1):
                self.by_start.setdefault(words[0][:end], set()).add(key)
            self.words.update(words)
            for word in set(words):
                self.users[word] = self.users.get(word, 0) + 1
        self._near: dict[str, set[str]] | None = None
        self._one_edit: dict[str, set[str]] | None = None
        self._answers: dict[str, list[str]] = {}  # a preview asks about the same names on every save
        self._as_stranger: dict[str, list[str]] = {}
        self._slips: dict[str, list[str]] = {}

    def close(self, key: str) -> list[str]:
        """The known names (as written, sorted) an unknown fold key is close to."""
        if key not in self._answers:
            self._answers[key] = self._close(key)
        return self._answers[key]

    def close_as_stranger(self, key: str) -> list[str]:
        """The fold keys of the other known names that `key`, itself one of them, is close
        to, as if it were not known: how one uncarded person is held against everyone else
        the journal names (their own words would otherwise count as known)."""
        if key not in self._as_stranger:
            self._as_stranger[key] = sorted(self._close_keys(key, stranger=True))
        return self._as_stranger[key]

    def one_slip(self, key: str) -> list[str]:
        """The fold keys of the other known names `key`, itself one of them, is one letter
        from in a word no other name uses, the other words the same: a slip the typo rule
        lets through on purpose because the word is short ('Pat Le' beside 'Pat Lee'), worth
        a warning. A word other names use too ('Mario' beside 'Maria') is taken as written:
        an address book holds many people a letter apart."""
        if key not in self._slips:
            self._slips[key] = self._one_slip(key)
        return self._slips[key]

    def _one_slip(self, key: str) -> list[str]:
        words = key.split()
        if not words or any(len(word) > _LONGEST_WORD for word in words):
            return []
        found: set[str] = set()
        for place, word in enumerate(words):
            if self.users.get(word, 0) > (1 if key in self.names else 0):
                continue
            slots = [self._one_edit_words(word) if other == place else {words[other]} for other in range(len(words))]
            found |= set.intersection(
                *(
                    set().union(*(self.by_slot.get((len(words), spot, option), set()) for option in options))
                    for spot, options in enumerate(slots)
                )
            )
        found.discard(key)
        return sorted(found)

    def _one_edit_words(self, word: str) -> set[str]:
        if self._one_edit is None:
            self._one_edit = {}
            for known in self.words:
                if len(known) <= _LONGEST_WORD:
                    for part in _deletions(known, 1):
                        self._one_edit.setdefault(part, set()).add(known)
        candidates = set().union(*(self._one_edit.get(part, set()) for part in _deletions(word, 1)))
        return {known for known in candidates if known != word and _edits(word, known) == 1}

    def _close(self, key: str) -> list[str]:
        return sorted({self.names[name] for name in self._close_keys(key, stranger=False)})  # keys of one name: once

    def _close_keys(self, key: str, stranger: bool) -> set[str]:
        words = key.split()
        if not _letters(key):
            return set()
        own = set(words) if stranger and key in self.names else set()

        def known(word: str) -> bool:
            return self.users.get(word, 0) - (word in own) > 0

        def slot_taken(place: int, word: str) -> bool:
            return bool(self.by_slot.get((len(words), place, word), set()) - {key})

        found = set(self.by_letters.get(_letters(key), ()))
        if not all(slot_taken(place, word) for place, word in enumerate(words)):
            found |= self.by_order.get(" ".join(sorted(words)), set())
        if len(words) == 1 and len(key) >= 3:
            found |= self.by_start.get(key, set())
        if any(not known(word) for word in words):
            found |= self._typos(words, known)
        found.discard(key)
        return found

    def _typos(self, words: list[str], known: Callable[[str], bool]) -> set[str]:
        """Known names of as many words, each word the same or, where the unknown name's
        word is one no known name uses, a typo of it (or, first, the start of it)."""
        slots = []
        for place, word in enumerate(words):
            options = {word} if known(word) else self._near_words(word)
            if place == 0 and not known(word) and len(words) > 1 and len(word) >= 3:
                options |= {name.split()[0] for name in self.by_start.get(word, ())}
            slots.append(set().union(*(self.by_slot.get((len(words), place, option), set()) for option in options)))
        return set.intersection(*slots) if slots else set()

    def _near_words(self, word: str) -> set[str]:
        if len(word) > _LONGEST_WORD:
            return set()
        if self._near is None:
            self._near = {}
            for known in self.words:
                if len(known) > _LONGEST_WORD:
                    continue
                for part in _deletions(known, typo_budget(len(known))):
                    self._near.setdefault(part, set()).add(known)
        candidates = set().union(
            *(self._near.get(part, set()) for part in _deletions(word, typo_budget(len(word) + 1)))
        )
        return {
            known
            for known in candidates
            if known != word and _edits(word, known) <= typo_budget(max(len(word), len(known)))
        }


_LONGEST_WORD = 30
"""Longer words are never taken for typos or short forms: no name has them, and the
deletions of a word grow with the square of its length."""


def _letters(key: str) -> str:
    return "".join(ch for ch in key if ch.isalnum())


@functools.lru_cache(maxsize=4)
def name_index(names: frozenset[tuple[str, str]]) -> NameIndex:
    """One NameIndex per set of known names: a preview assembles on every save, and its
    cards seldom change."""
    return NameIndex(names)


def either(names: list[str]) -> str:
    """ "'A'", "'A' or 'B'", "'A', 'B' or 'C'" (and "or N more" past three)."""
    shown = [f"'{name}'" for name in names[:3]]
    if len(names) > 3:
        shown.append(f"{len(names) - 3} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def day_and_time(day: date, time: str = "") -> str:
    """'Fri 18 Dec 12:30': how a person says when a meeting is."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {time}" if time else "")


def plural(count: int, singular: str, many: str = "") -> str:
    """'1 meeting', '2 meetings', '0 meetings'; `many` for words that do not take an s
    ('1 relationship is', '2 relationships are')."""
    return f"{count} {singular if count == 1 else many or singular + 's'}"
