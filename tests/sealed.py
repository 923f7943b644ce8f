"""Test helpers for published sites: open sealed pages with `cryptography` directly (an
implementation of the format independent of journal/encrypt.py) and find leaked secrets."""

from __future__ import annotations

import base64
import html
import json
import posixpath
import re
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import site_files
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC


def sealed_json(shell: bytes) -> dict:
    soup = BeautifulSoup(shell, "html5lib")
    return json.loads(soup.find("script", id="sealed").string)


def page_key(passphrase: str, sealed: dict) -> bytes:
    assert sealed["kdf"] == "PBKDF2-HMAC-SHA256" and sealed["iterations"] >= 600_000
    kdf = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=base64.b64decode(sealed["salt"]), iterations=sealed["iterations"]
    )
    return kdf.derive(passphrase.encode())


def open_box(key: bytes, box: dict, site_id: str, path: str) -> bytes:
    """The box's plaintext, if it was sealed for `path` of site `site_id` (AES-GCM's
    associated data; cryptography raises InvalidTag otherwise)."""
    bound_to = f"journal 2 {site_id} {path}".encode()
    return AESGCM(key).decrypt(base64.b64decode(box["nonce"]), base64.b64decode(box["data"]), bound_to)


def decrypt_site(site: Path, passphrase: str) -> dict[str, bytes]:
    """{path: decrypted page} for every shell, each opened as the page at its own address;
    one key derivation for the whole build."""
    pages = {}
    key = None
    for path in sorted(site.rglob("*.html")):
        sealed = sealed_json(path.read_bytes())
        key = key or page_key(passphrase, sealed)
        address = path.relative_to(site).as_posix()
        assert sealed["path"] == address
        pages[address] = open_box(key, sealed["page"], sealed["site"], address).rstrip(b" ")
    return pages


def open_index(site: Path, passphrase: str) -> dict:
    """The search index of an encrypted build, opened: search-index.js holds only
    `window.journalSearchSealed=<sealed JSON>;`."""
    script = (site / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.journalSearchSealed="
    assert script.startswith(prefix) and script.endswith(";\n")
    sealed = json.loads(script[len(prefix) : -2])
    return json.loads(open_box(page_key(passphrase, sealed), sealed["page"], sealed["site"], "search-index.js"))


def crawl(files: dict[str, bytes], start: str = "index.html") -> tuple[set[str], list[str]]:
    """(pages reached from `start` by links, ["page: broken link href", ...]): every link and
    stylesheet must be relative and name a file of the site."""
    seen, broken, queue = set(), [], [start]
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        for tag in BeautifulSoup(files[current], "html5lib").find_all(["a", "link"], href=True):
            href = tag["href"]
            if href.startswith(("mailto:", "tel:")) or href == "data:,":  # "data:,": the empty icon, no request
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(current), href.split("#")[0]))
            if "://" in href or href.startswith("/") or target not in files:
                broken.append(f"{current}: broken link {href}")
            elif target.endswith(".html"):
                queue.append(target)
    return seen, broken


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[*_`#>]", " ", text).split()).casefold()


_CIPHERTEXT = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
"""A run of base64 as long as a nonce or longer: sealed bytes, which spell a short word like
'Quill' by chance once in a while (case ignored, one chance in a few million a place), with
a fresh nonce every build. Plaintext that leaked has spaces, '@', '-' or '.' around it."""


def leaks(files: dict[str, bytes], secrets: list[str]) -> list[tuple[str, str]]:
    """[(path, secret)] for each secret found in any file: in its raw bytes, with HTML
    entities decoded, or in the text a browser shows (markup and spacing ignored). Runs of
    ciphertext are left out of the search (_CIPHERTEXT): the tests open them with the
    passphrase and search what they hold."""
    found = []
    for path, data in files.items():
        raw = _CIPHERTEXT.sub(" ", data.decode("utf-8", "replace"))
        views = [raw.casefold(), html.unescape(raw).casefold(), _normal(html.unescape(raw))]
        if path.endswith(".html"):
            views.append(_normal(BeautifulSoup(raw, "html5lib").get_text(" ")))
        for secret in secrets:
            if (
                secret.casefold() in views[0]
                or secret.casefold() in views[1]
                or any(_normal(secret) in view for view in views[2:])
            ):
                found.append((path, secret))
    return found


read_tree = site_files  # what the publish tests call the built site they scan
