"""What a build records so that the next build, or a preview started after it, can tell the
site on disk is current without rendering it: the digests of a build's inputs (its sources'
text, or their stats once settled), the build cache this version of journal reads, and the
Markdown converted ahead of a cold build. Used by the build command, the publish profile and
the preview (incremental.py), so none of them imports another command.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from pathlib import Path

from .. import __version__
from ..keys import digest
from ..pipeline import PARSE_RESULT, PARSED_RECORDS
from ..prose import MARKDOWN_SETTINGS
from ..sources import SourceFile, Stamp, template_dirs, templates_digest
from .cache import BuildCache, LastBuild, cache_key, site_unchanged
from .prefetch import MarkdownPrefetch, prefetch_markdown

SETTLED_NS = 2_000_000_000
"""A source written this long before the build started, or more recently, is not told by its
stamp (stamped_inputs): file times tick coarsely, so a second write within the same tick
could leave the stamp as it was."""


def prefetch_cold(root: Path, cache: BuildCache) -> MarkdownPrefetch:
    """For a cold build (no record of a last one: none, or one from another version of
    journal), bodies converted in another process from now on, while this one reads, loads
    and plans (one core would idle there); speed/lent.py collects them once the pages are
    planned, and a build that renders nothing ends it unheard. After a build, the cache
    holds the Markdown of every body but those saved since: nothing would be converted ahead
    but those few, and reading that cache in the other process cost as much CPU as a whole
    no-op build, so nothing is started."""
    if cache.last_build is not None:
        return MarkdownPrefetch()
    return prefetch_markdown(root, partial(cache.markdown, "local"))


def prefetch_published(root: Path, cache: BuildCache) -> MarkdownPrefetch:
    """For a publish build that finds none of the publish profile's Markdown in the cache (a
    first publish, or the cache deleted), its bodies as redact most likely publishes them,
    converted in another process from now on, while this one reads, loads and redacts (one
    core would idle there). After a publish build the cache holds every body but those saved
    since, and nothing is started, as after a local build (prefetch_cold)."""
    if cache.holds_markdown("publish"):
        return MarkdownPrefetch()
    return prefetch_markdown(root, partial(cache.markdown, "publish"), "publish")


def build_setting(cache: BuildCache, root: Path, out: Path, today: date) -> bytes:
    """The digest of what a local build into `out` depends on besides its sources: journal's
    version and code (the cache's salt), `today`, the folder and the templates."""
    return digest(cache.salt, today.isoformat(), str(out.resolve()), templates_digest(template_dirs(root)))


def build_inputs(setting: bytes, config_source: SourceFile | None, files: list[SourceFile]) -> bytes:
    """The digest of everything a local build of these sources depends on (`setting`:
    build_setting's)."""
    sources = [config_source] if config_source else []
    return digest(setting, *(part for source in sources + files for part in (source.path, source.text)))


def settled_stamps(
    config: list[SourceFile], files: list[SourceFile], started_ns: int
) -> list[tuple[str, Stamp]] | None:
    """(path, stamp) of each source, in reading order (sources.current_stamps'); None when
    one has no stamp or was written less than SETTLED_NS before `started_ns`: a write after
    the read moves the ctime (the stamp's second part) to after the build started."""
    stamps = []
    for source in config + files:
        if source.stamp is None or started_ns - source.stamp[1] < SETTLED_NS:
            return None
        stamps.append((source.path, source.stamp))
    return stamps


def stamped_inputs(setting: bytes, stamps: Sequence[tuple[str, Stamp]]) -> bytes:
    """build_inputs with each source's stamp standing for its text: the same while no source
    was written, and found from the sources' stats alone (sources.current_stamps)."""
    return digest(setting, "stamped", *(f"{path}\0{stamp}" for path, stamp in stamps))


def current_site(cache: BuildCache, out: Path, inputs: bytes) -> LastBuild | None:
    """The last build's record when it was made from `inputs` (build_inputs) and `out` still
    holds exactly what it wrote (no file touched since); else None."""
    last = cache.last_build
    return last if last and last.inputs == inputs and site_unchanged(out, last.files) else None


def open_cache(root: Path) -> BuildCache:
    """The build cache of the journal at `root`, as this version of journal reads it, under
    this user's key (the preview's first build and the publish profile use it too)."""
    return BuildCache(root, cache_salt(), PARSED_RECORDS, PARSE_RESULT, cache_key())


def cache_salt() -> str:
    """What every cached result depends on besides its own text: journal's version and code,
    and the Markdown settings. Any change empties the cache."""
    package = Path(__file__).resolve().parent.parent
    code = [path.read_bytes() for path in sorted(package.rglob("*.py"))]
    return f"journal {__version__} {digest(*code).hex()} {MARKDOWN_SETTINGS}"
