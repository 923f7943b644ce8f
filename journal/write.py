"""Write a rendered site to disk: all of it or none of it, and unchanged files untouched.

The new tree is staged beside the output folder (unchanged files hard-linked, so they keep
their inode and mtime), then exchanged with the old one in a single rename: Linux's
renameat2(RENAME_EXCHANGE) or macOS's renamex_np(RENAME_SWAP), through ctypes. At every
instant `site/` is the whole old site or the whole new one, whatever kills the build; the old
tree, now under the staging name, is deleted afterwards. A file system or system that cannot
exchange (Windows, some network and FUSE mounts) gets two renames, old aside then new in,
and for that moment there is no `site/`.

Why not a symlink `site -> .site-<id>` flipped by a rename, which is atomic everywhere:
`site/` would stop being a folder. A `.gitignore` line `site/` (what `journal init` writes)
matches folders only, so git would start tracking the link; a tool that copies the folder
without following links (rsync without -L) would copy the link rather than the pages; and a
user who deletes the link by hand leaves the real tree behind. The exchange keeps `site/` the
plain folder it always was, for the local site and for the preview's private folder alike.

The output folder is journal's alone. The first write leaves a marker file in it
(SITE_MARKER), and a later write replaces only a folder that holds the marker, is empty, or
does not exist yet, so `--out docs` never deletes an essay it did not write. A site built
before the marker existed is recognised by the files every site has at its top
(_SIGNATURE). A symbolic link is never written through.

A killed build leaves `.site.staging-<pid>` (and, with two renames, `.site.old-<pid>`) beside
`site/`. The next write removes those of its own output folder whose process is gone: the
name must match exactly, be a real folder (not a link) and name a pid that no longer runs,
so a concurrent build's staging folder and anything a user named otherwise are left alone.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem
from .sources import CACHE_DIR, CONFIG_NAME, ENTRIES, TEMPLATES

_AT_FDCWD = -100  # renameat2's "relative to the working directory"
_RENAME_EXCHANGE = 2  # Linux, <linux/fs.h>
_RENAME_SWAP = 2  # macOS, <stdio.h>
_CANNOT_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}  # this system or file system


SITE_MARKER = ".journal-site"
"""The file that says a folder is a site journal made: its whole content is journal's."""
_MARKER_TEXT = b"This folder is a site written by journal; each build replaces everything in it.\n"
_SIGNATURE = ("index.html", "search-index.js", "style.css")
"""Files at the top of every site journal writes: a folder with all three and no marker is a
site built before the marker (adopted once), not someone's folder."""


class OutputRefused(Exception):
    """The output folder is not journal's to replace; the message says why, for a person."""


def output_refusal(out: Path) -> str | None:
    """Why `out` may not be replaced by a site, or None when it may: a link, a file, or a
    folder with something in it that journal did not write."""
    if out.is_symlink():
        return "the output folder is a symbolic link; journal writes only into a real folder (remove the link)"
    if not out.exists():
        return None
    if not out.is_dir():
        return "the output is a file, not a folder; choose a folder, like site/"
    with os.scandir(out) as listing:
        names = {entry.name for entry in listing}
    if not names or SITE_MARKER in names or names.issuperset(_SIGNATURE):
        return None
    return (
        f"the output folder holds files journal did not write (no {SITE_MARKER}); "
        "choose an empty or new folder, or empty this one yourself"
    )


_KEPT_FOLDERS = (ENTRIES, TEMPLATES, CACHE_DIR, ".git")
"""Folders of the root a build may never write into: the notes, the user's templates, the
cache and the journal's own history."""


def output_problems(root: Path, out: Path) -> list[Problem]:
    """Why the site may not be written to `out`, as problems on `out` (none when it may):
    the root itself, a folder holding the root, a folder inside entries/, templates/,
    .journal-cache/ or .git/, or a symbolic link (a `site` link kept by git would send the
    build into the folder it points to). Whether a folder that exists is journal's own is
    output_refusal's question, asked here and again just before writing."""
    shown = str(out)
    home, target = root.resolve(), out.resolve()
    if target == home or target in home.parents:
        return [
            Problem(shown, 0, f"the output folder holds the journal at {root}; choose a folder of its own, like site/")
        ]
    for name in _KEPT_FOLDERS:
        kept = {home / name, (home / name).resolve()}  # entries/ may itself be a link
        if any(target == folder or folder in target.parents for folder in kept):
            return [
                Problem(
                    shown,
                    0,
                    f"the output folder is inside {name}/, which journal never writes; choose another, like site/",
                )
            ]
    refusal = output_refusal(out)
    return [Problem(shown, 0, refusal)] if refusal else []


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def _existing_files(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    found = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    return found - {SITE_MARKER}


@functools.cache
def _exchange_call():
    """exchange(a, b) -> 0 or -1 (errno set), from the C library, or None where there is none."""
    if os.name != "posix":
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "renameat2"):  # Linux (glibc 2.28, musl 1.2.3)
        renameat2 = libc.renameat2
        return lambda a, b: renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    if hasattr(libc, "renamex_np"):  # macOS 10.12
        renamex_np = libc.renamex_np
        return lambda a, b: renamex_np(a, b, _RENAME_SWAP)
    return None


def _exchange(a: Path, b: Path) -> bool:
    """Swap the two paths in one step; False where the system or file system cannot."""
    call = _exchange_call()
    if call is None:
        return False
    if call(os.fsencode(a), os.fsencode(b)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _CANNOT_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _running(pid: int) -> bool:
    """Whether a process with this id exists (it may be another user's). Without POSIX
    signals there is no harmless way to ask, so the answer is yes: nothing is removed."""
    if os.name != "posix" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_leftovers(out: Path) -> None:
    """Delete the staging and retired folders that killed builds left beside `out`."""
    ours = re.compile(rf"\.{re.escape(out.name)}\.(?:staging|old)-([0-9]{{1,9}})")
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    for entry in entries:
        found = ours.fullmatch(entry.name)
        if found and entry.is_dir(follow_symlinks=False) and not _running(int(found[1])):
            shutil.rmtree(entry.path, ignore_errors=True)


def write_site(out: Path, files: dict[str, bytes]) -> WriteReport:
    """Replace `out` with a folder holding exactly `files` (and the marker); OutputRefused
    when `out` is not journal's (output_refusal), before anything is written."""
    refusal = output_refusal(out)
    if refusal:
        raise OutputRefused(refusal)
    out = out.resolve()
    _remove_leftovers(out)
    existing = _existing_files(out)
    written = []
    unchanged = 0
    staging = out.parent / f".{out.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        for path in sorted(files):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            current = out / path
            if path in existing and current.read_bytes() == files[path]:
                try:
                    os.link(current, target)
                except OSError:  # file systems without hard links
                    shutil.copy2(current, target)
                unchanged += 1
            else:
                target.write_bytes(files[path])
                written.append(path)
        staging.mkdir(parents=True, exist_ok=True)
        _stage_marker(out / SITE_MARKER, staging / SITE_MARKER)
        removed = sorted(existing - set(files))
        if not written and not removed and (out / SITE_MARKER).is_file():
            shutil.rmtree(staging)
            return WriteReport((), unchanged, ())
        _swap_in(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _about_the_site(error, out) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(tuple(written), unchanged, tuple(removed))


def _stage_marker(current: Path, target: Path) -> None:
    """The marker in the staged tree: the very file that was there (kept like any unchanged
    file), or a new one."""
    try:
        if current.read_bytes() == _MARKER_TEXT:
            os.link(current, target)
            return
    except OSError:
        pass
    target.write_bytes(_MARKER_TEXT)


def _about_the_site(error: OSError, out: Path) -> OSError:
    """The error as a person needs it: which folder could not be written (a full disk's
    write names no file) and that the site they had is still there."""
    why = error.strerror or str(error)
    return OSError(error.errno, f"{why} while writing the site into {out}; the previous site is unchanged")


def _swap_in(staging: Path, out: Path) -> None:
    """Put the staged tree at `out` and delete what was there (which ends up at `staging`)."""
    if not out.exists():
        os.rename(staging, out)
        return
    if not _exchange(staging, out):
        retired = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, retired)
        try:
            os.rename(staging, out)
        except BaseException:
            os.rename(retired, out)
            raise
        staging = retired
    shutil.rmtree(staging, ignore_errors=True)


def compare_site(folder: Path, files: dict[str, bytes]) -> WriteReport:
    """What writing `files` over `folder` would change, found by reading, nothing written:
    how a preview that served the site `journal build` left tells whether its own first site
    differs from it (a save came in between), and so whether the tabs must reload."""
    changed = []
    for path, data in sorted(files.items()):
        try:
            same = (folder / path).read_bytes() == data
        except OSError:
            same = False
        if not same:
            changed.append(path)
    removed = sorted(_existing_files(folder) - set(files))
    return WriteReport(tuple(changed), len(files) - len(changed), tuple(removed))


def update_in_place(out: Path, changed: dict[str, bytes], removed: Iterable[str], kept: int) -> WriteReport:
    """Write the `changed` files into `out` and delete the `removed` ones; the caller knows
    (from what it wrote there last, trusted to be there still) that the `kept` others are as
    they should be. Only for a preview's private folder, whose requests wait while a rebuild runs: each
    changed file is replaced by a rename, so a reader never sees half a file, but the site
    changes file by file. Staging a 13,000-file site on every save would cost a second; this
    costs what changed. If it fails part-way the caller forgets what it wrote, and the next
    rebuild stages a whole site again."""
    written = []
    for path, data in sorted(changed.items()):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.append(path)
    gone = sorted(removed)
    for path in gone:
        (out / path).unlink(missing_ok=True)
    return WriteReport(tuple(written), kept, tuple(gone))


EXPORT_SUFFIXES = (".json", ".csv", ".vcf", ".vcard")
"""What an export file may be called when it replaces a file already there."""


def file_refusal(root: Path, out: Path) -> str | None:
    """Why an export may not be written to the file `out`, or None when it may: a folder;
    anything in entries/, templates/, .journal-cache/ or .git/, or journal.yaml (a link is
    judged by where it leads); or a file already there whose name is not an export's (a note
    or a document given by mistake is never replaced). An earlier export is replaced."""
    if out.is_dir():
        return "it is a folder; give a file name, like journal.json"
    home, target = root.resolve(), out.resolve()
    for name in _KEPT_FOLDERS:
        kept = {home / name, (home / name).resolve()}
        if any(folder in target.parents for folder in kept):
            return f"it is inside {name}/, which journal never writes"
    if target in (home / CONFIG_NAME, (home / CONFIG_NAME).resolve()):
        return f"it is the journal's {CONFIG_NAME}"
    if out.exists() and out.suffix.lower() not in EXPORT_SUFFIXES:
        names = ", ".join(EXPORT_SUFFIXES)
        return f"it exists and is not an export ({names}); choose another name, or remove it yourself"
    return None


def write_file(out: Path, data: bytes) -> None:
    """`data` as the file `out`, whole or not at all: written beside it under a temporary
    name, synced, then renamed over it, so a full disk or a kill leaves the old file (or
    none), never half a new one. The file is readable by its owner alone (an export may hold
    contact details)."""
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
