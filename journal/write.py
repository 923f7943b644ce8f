"""Write a rendered site to disk: all of it or none of it, and unchanged files untouched.

The new tree is staged beside the output folder (unchanged files hard-linked, so they keep
their inode and mtime), then swapped in with two renames. A crash or a full disk leaves the
previous site where it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def _existing_files(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    return {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}


def write_site(out: Path, files: dict[str, bytes]) -> WriteReport:
    out = out.resolve()
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
        removed = sorted(existing - set(files))
        if not written and not removed:
            shutil.rmtree(staging)
            return WriteReport((), unchanged, ())
        retired = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            os.rename(out, retired)
        os.rename(staging, out)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(tuple(written), unchanged, tuple(removed))


def update_in_place(out: Path, files: dict[str, bytes], previous: dict[str, bytes]) -> WriteReport:
    """Make `out` hold exactly `files`, given `previous`: what this process wrote there last,
    trusted to be there still. Only for a preview's private folder, whose requests wait
    while a rebuild runs: each changed file is replaced by a rename, so a reader never sees
    half a file, but the site changes file by file. Staging a 13,000-file site on every
    save would cost a second; this costs what changed. If it fails part-way the caller
    forgets `previous` and the next rebuild stages a whole site again."""
    written = []
    for path, data in sorted(files.items()):
        if previous.get(path) == data:
            continue
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.append(path)
    removed = sorted(set(previous) - set(files))
    for path in removed:
        (out / path).unlink(missing_ok=True)
    return WriteReport(tuple(written), len(files) - len(written), tuple(removed))
