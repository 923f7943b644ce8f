"""Seal published pages so only someone with the passphrase can read them.

The only module that imports `cryptography`. AES-256-GCM with a key from the passphrase by
PBKDF2-HMAC-SHA256 (600,000 iterations, a salt of the journal's own) and a fresh random nonce
per page. Each page's ciphertext is bound to its address: the associated data is the journal's
site id and the page's path, so a sealed page copied to another address, or into another
journal's site, does not open there. The browser side (templates/unlock.js) derives the same
key with WebCrypto and checks the same associated data, so the format here and there must
agree: base64 fields in a small JSON object.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from .plan import SitePaths

ITERATIONS = 600_000
FORMAT = 2
CHECK = b"journal: the passphrase is right"
CHECK_PATH = ""  # the check value belongs to the site, not to one address
PATHS_SALT = b"journal: page paths "
PAGES_SALT = b"journal: pages "
PAD_TO = 1024  # page sizes are rounded up, so a shell's size hints less at what it holds


def _pbkdf2(passphrase: str, salt: bytes) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS)
    return kdf.derive(passphrase.encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class Keys:
    """The page key and its salt, the path key, and the journal's site id: all the same
    from build to build for one passphrase and one journal."""

    page_key: bytes
    salt: bytes
    path_key: bytes
    site_id: str


def page_salt(site_id: str) -> bytes:
    """The page key's salt: the journal's own, not a build's. So a republish keeps the key,
    and a browser that holds it (unlock.js) goes on opening the new pages without asking;
    a new passphrase makes a new key, which no browser holds. The cost: a key taken from a
    browser opens every later build until the passphrase changes, where a salt per build
    made it stale at the next publish. Precomputed guesses gain nothing either way: the
    site id is random, so no two journals share a salt."""
    return hashlib.sha256(PAGES_SALT + site_id.encode("ascii")).digest()[:16]


def derive_keys(passphrase: str, site_id: str) -> Keys:
    """The page key, salted per journal (page_salt); the path key's salt is the site id too,
    so page addresses stay the same from one build to the next (bookmarks survive the daily
    rebuild), differ between two journals with the same passphrase, and reveal nothing to
    someone without the passphrase."""
    salt = page_salt(site_id)
    return Keys(_pbkdf2(passphrase, salt), salt, _pbkdf2(passphrase, PATHS_SALT + site_id.encode("ascii")), site_id)


def associated_data(site_id: str, path: str) -> bytes:
    """What a box is bound to: the site and the address it is published at."""
    return f"journal {FORMAT} {site_id} {path}".encode()


def _box(key: bytes, plaintext: bytes, bound_to: bytes) -> dict:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "data": _b64(AESGCM(key).encrypt(nonce, plaintext, bound_to))}


def seal(keys: Keys, page: bytes, path: str) -> str:
    """A page as JSON for its shell at `path`: the KDF parameters, a check value (so the
    browser can tell a wrong passphrase from a damaged page), the address the page belongs
    at (so the browser can tell a moved page from a damaged one; the ciphertext is bound to
    it either way) and the padded, encrypted page."""
    padded = page + b" " * (-len(page) % PAD_TO)
    return json.dumps(
        {
            "format": FORMAT,
            "kdf": "PBKDF2-HMAC-SHA256",
            "iterations": ITERATIONS,
            "salt": _b64(keys.salt),
            "site": keys.site_id,
            "path": path,
            "check": _box(keys.page_key, CHECK, associated_data(keys.site_id, CHECK_PATH)),
            "page": _box(keys.page_key, padded, associated_data(keys.site_id, path)),
        },
        sort_keys=True,
    )


@dataclass(frozen=True)
class OpaquePaths(SitePaths):
    """Page paths that are not people's names or tags: a keyed hash of what the page is about."""

    key: bytes = b""

    def _opaque(self, kind: str, name: str) -> str:
        digest = hmac.new(self.key, f"{kind}:{name}".encode(), hashlib.sha256).hexdigest()
        return f"p/{digest[:24]}.html"

    def contact(self, slug: str) -> str:
        return self._opaque("contact", slug)

    def meeting(self, slug: str) -> str:
        return self._opaque("meeting", slug)

    def tag(self, tag: str) -> str:
        """Keyed by the tag's own address, so tags that share a page locally share one here."""
        return self._opaque("tag", super().tag(tag))
