"""The publish profile, and its push to a branch (gh-pages) as one commit with no history.

The profile (`journal build --publish`, `journal publish`): private values taken out of the
model (redact.py), the site rendered from what is left, and with publish.encrypt every page
sealed (encrypt.py). The stages it needs (Jinja2, Markdown, cryptography) are
imported inside the functions that build a profile: cli.py imports this module for its
constants and the push, and `journal check` must not wait for them.

The only module that runs git. The commit is made in a throwaway bare repository in a
temporary folder, from the files given, and pushed from there: the user's working tree,
index, HEAD and refs are never touched, the notes need not be in a git repository at all,
and removed content does not linger in old commits of the published branch.

The commit says nothing about who made it or when beyond the day: a neutral author and
committer, dated the build's day at midnight UTC (the site's own pages show that day anyway).
git runs without the passphrase in its environment, so no hook, credential helper or
ssh command it starts can see it.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import tempfile
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Journal, PublishSettings
from .problems import Problem
from .sources import CONFIG_NAME
from .speed import parallel

if TYPE_CHECKING:
    from .pipeline import BuildResult
    from .speed.cache import BuildCache, ParseCache
    from .speed.lent import LentMarkdown
    from .speed.prefetch import MarkdownPrefetch

PAGES_MARKER = ".nojekyll"  # GitHub Pages serves the files as they are, without Jekyll
DEFAULT_MESSAGE = "Publish the journal"
PASSPHRASE_VARIABLE = "JOURNAL_PASSPHRASE"
NEUTRAL_NAME = "journal"
NEUTRAL_EMAIL = "journal@localhost"


def load_journal(root: Path) -> tuple[Journal, list[Problem], int]:
    """load(root) for the publish profile, through the build cache: a file parsed by an
    earlier build of either profile is not parsed again (a parse does not depend on the
    profile), and a load without problems keeps its results for the next build."""
    from .speed.lastbuild import open_cache

    cache = open_cache(root)
    journal, problems, file_count, parsed = _load(root, cache)
    if not problems:
        cache.save_parsed(parsed.results)
    return journal, problems, file_count


def _load(root: Path, cache: BuildCache) -> tuple[Journal, list[Problem], int, ParseCache]:
    """load(root) through the build cache's parsed files, and what it parsed, for the caller
    to keep (ParseCache.results)."""
    from .pipeline import load_sources, parse_entries
    from .sources import read_journal
    from .speed.cache import ParseCache

    parsed = ParseCache(partial(parse_entries, map=parallel.ordered_map), cache.parsed)
    journal, problems, file_count = load_sources(*read_journal(root), parsed.parse_all)
    return journal, problems, file_count, parsed


def published_site(
    root: Path, journal: Journal, today: date, passphrase: Callable[[], str]
) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: bytes} of the publish profile: private values taken out of the model before
    rendering (redact), Markdown that drops any Private section still in a body and a search
    index of only what the pages show (render_site's `publish`), and the calendar feed left
    out unless publish.calendar. With publish.encrypt, every page sealed into a shell at an
    opaque path and the search index sealed with the same key; the calendar feed, when asked
    for, stays readable (calendar apps cannot decrypt). `passphrase` is asked only when needed.
    Markdown bodies come from and go to the build cache's publish profile, which the local
    site's bodies and its last-build record never share."""
    from .speed.lastbuild import open_cache
    from .speed.prefetch import MarkdownPrefetch

    cache = open_cache(root)
    files, problems, used = _published(root, journal, today, passphrase, cache, MarkdownPrefetch())
    if not problems:
        cache.save_markdown("publish", used)
    return files, problems


def _published(
    root: Path,
    journal: Journal,
    today: date,
    passphrase: Callable[[], str],
    cache: BuildCache,
    ahead: MarkdownPrefetch,
) -> tuple[dict[str, bytes], list[Problem], dict[bytes, str]]:
    """published_site's files or problems, and the Markdown bodies it used, for the caller to
    keep (BuildCache.save_markdown): lent by the build cache, by `ahead` (bodies converted
    while the journal was loaded) and converted across the cores."""
    from .pipeline import render_site
    from .redact import redact
    from .speed.lent import LentMarkdown

    public = redact(journal, today, parallel.ordered_map)
    settings = journal.config.publish
    lent = LentMarkdown(lambda: _bodies_converted(public, ChainMap(ahead.collect(), cache.markdown("publish"))))
    if not settings.encrypt:
        files, problems = render_site(
            root,
            public,
            today,
            calendar=settings.calendar,
            publish=True,
            remember=lent.remember,
            map=lent.map,
        )
    elif not settings.site_id:
        return {}, [missing_site_id(root, settings)], {}
    else:
        files, problems = _sealed_site(root, public, today, passphrase, lent)
    return files, problems, lent.used


def _bodies_converted(public: Journal, known: MutableMapping[bytes, str]) -> Mapping[bytes, str]:
    """The publish profile's Markdown of every body, for LentMarkdown to lend once the pages
    are planned: what `known` (the build cache, a prefetch) holds, and the rest converted
    across the cores first. The search index reads every body's shown text in one job
    (render_site's data files): without this, that job converted them all on one core while
    the pages converted them again on the others."""
    from .speed.prefetch import converted

    bodies = [meeting.body for meeting in public.meetings] + [contact.notes for contact in public.contacts]
    return ChainMap(converted(bodies, "publish", known), known)


def _sealed_site(
    root: Path,
    public: Journal,
    today: date,
    passphrase: Callable[[], str],
    lent: LentMarkdown,
) -> tuple[dict[str, bytes], list[Problem]]:
    """The encrypted publish profile of the redacted journal: every page sealed into its
    locked shell and the search index sealed, each where it is rendered (on every core), and
    the static files around them."""
    from . import encrypt
    from .pipeline import render_site

    settings = public.config.publish
    keys = encrypt.derive_keys(passphrase(), settings.site_id)
    return render_site(
        root,
        public,
        today,
        encrypt.OpaquePaths(key=keys.path_key),
        calendar=settings.calendar,
        publish=True,
        seal=partial(encrypt.seal, keys),
        remember=lent.remember,
        map=lent.map,
    )


def published_listing(root: Path, journal: Journal, today: date) -> tuple[list[tuple[str, bool]], list[Problem]]:
    """[(path, sealed)] of what an encrypted publish pushes, without the passphrase: each page
    and the search index under the local name of what it holds (pushed sealed, at an address
    only the passphrase computes), and the files pushed as they are. For a dry run, which
    should not need the secret to show what it would do."""
    from .pipeline import render_site
    from .plan import FEED_FILE
    from .redact import redact
    from .render import LOCKED_STATIC_FILES, STATIC_FILES
    from .search import INDEX_FILE
    from .speed.lent import LentMarkdown

    settings = journal.config.publish
    public = redact(journal, today, parallel.ordered_map)
    lent = LentMarkdown(lambda: _bodies_converted(public, ChainMap()))
    files, problems = render_site(
        root, public, today, calendar=settings.calendar, publish=True, remember=lent.remember, map=lent.map
    )
    if problems:
        return [], problems
    listing = [(path, True) for path in files if path.endswith(".html") or path == INDEX_FILE]
    listing += [(name, False) for name in STATIC_FILES + LOCKED_STATIC_FILES]
    if settings.calendar:
        listing.append((FEED_FILE, False))
    return sorted(listing), []


PUBLIC_SITE_IDS = frozenset({"8cf32a59512ca9057f7936112548913f"})
"""Ids anyone can read: the one journal's README and demo journal once showed. A journal that
copied one shares its page addresses' salt with everyone else who did."""


def public_site_id(settings: PublishSettings) -> Problem | None:
    """A warning when publish.site_id is one the world knows, with a fresh one to paste."""
    if settings.site_id.lower() not in PUBLIC_SITE_IDS:
        return None
    return Problem(
        CONFIG_NAME,
        settings.line,
        "publish.site_id is the example from journal's README and demo, which anyone can read: give this journal "
        f"its own (page addresses change once), like '  site_id: {secrets.token_hex(16)}'",
        "warning",
    )


def missing_site_id(root: Path, settings: PublishSettings) -> Problem:
    """The error for an encrypted publish without publish.site_id, with a fresh id to paste:
    journal never rewrites the user's journal.yaml, and the id must stay the same from then
    on (it salts the page addresses), so the user writes it down once."""
    fresh = secrets.token_hex(16)
    why = "publish.site_id is missing: an encrypted site needs a random id of its own, which keeps its page addresses the same from build to build and different from those of any other journal"
    if settings.line:
        return Problem(CONFIG_NAME, settings.line, f"{why}; add this line under 'publish:': '  site_id: {fresh}'")
    if (root / CONFIG_NAME).is_file():
        return Problem(CONFIG_NAME, 1, f"{why}; add this line to {CONFIG_NAME}: 'publish: {{site_id: {fresh}}}'")
    return Problem(CONFIG_NAME, 0, f"{why}; create {CONFIG_NAME} with this line: 'publish: {{site_id: {fresh}}}'")


def build_published(root: Path, out: Path, today: date, passphrase: Callable[[], str]) -> BuildResult:
    """`journal build --publish`: the publish profile written to `out`, as `journal publish`
    would push it (without .nojekyll and CNAME), through the build cache as `journal publish`
    uses it (load_journal, published_site). As a cold local build does, it converts bodies
    ahead while it loads (lastbuild.prefetch_published) and writes the cache in another
    process while it writes the site."""
    from .pipeline import BuildResult
    from .speed.lastbuild import open_cache, prefetch_published
    from .write import output_problems

    refused = output_problems(root, out)
    if refused:
        return BuildResult(tuple(refused), 0)
    with parallel.no_full_collections():
        cache = open_cache(root)
        ahead = prefetch_published(root, cache)
        try:
            journal, problems, file_count, parsed = _load(root, cache)
            if problems:
                return BuildResult(tuple(problems), file_count)
            files, problems, used = _published(root, journal, today, passphrase, cache, ahead)
            if problems:
                return BuildResult(tuple(problems), file_count)
        finally:
            ahead.cancel()

        def save_results() -> None:
            cache.save_parsed(parsed.results)
            cache.save_markdown("publish", used)

        return _written(out, files, file_count, parallel.in_background(save_results))


def _written(out: Path, files: dict[str, bytes], file_count: int, saved: Callable[[], None]) -> BuildResult:
    """The site written to `out` while the build cache is saved (saved() waits for that)."""
    from .pipeline import BuildResult
    from .write import OutputRefused, write_site

    try:
        return BuildResult((), file_count, write_site(out, files), len(files))
    except OutputRefused as refused:
        return BuildResult((Problem(str(out), 0, str(refused)),), file_count)
    finally:
        saved()  # the cache is whole before this process may end (its writer dies with it)


class PublishError(Exception):
    """git refused; the message is git's own, with any credentials in URLs hidden."""


class UnknownRemote(PublishError):
    """--remote names no remote of the journal's repository and is no URL or path: said in
    journal's words before anything is built, not as git's error after."""


@dataclass(frozen=True)
class Published:
    remote: str  # as shown to the user: credentials hidden
    branch: str
    commit: str
    files: tuple[str, ...]
    pushed: bool


def hide_credentials(text: str) -> str:
    """'https://user:token@host/x' -> 'https://***@host/x': safe to print and log."""
    return re.sub(r"(\w+://)[^/@\s]+@", r"\1***@", text)


def pages_files(files: dict[str, bytes], cname: str) -> dict[str, bytes]:
    """The site plus what GitHub Pages reads: .nojekyll, and CNAME for a custom domain."""
    extra = {PAGES_MARKER: b""}
    if cname:
        extra["CNAME"] = f"{cname}\n".encode()
    return {**files, **extra}


def _git(*args: str, cwd: Path | None = None, env: dict | None = None) -> str:
    result = subprocess.run(
        ["git", "-c", "core.autocrlf=false", "-c", "core.safecrlf=false", *args],
        cwd=cwd,
        env=child_environment() if env is None else env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"git {args[0]} failed"
        raise PublishError(hide_credentials(detail))
    return result.stdout.strip()


def _try_git(*args: str, cwd: Path) -> str:
    try:
        return _git(*args, cwd=cwd)
    except (PublishError, OSError):
        return ""


def remote_url(root: Path, remote: str) -> str:
    """A remote of the journal's repository by name, else a URL or a path as given (a path
    made absolute, since the push runs from a temporary folder)."""
    url = _try_git("remote", "get-url", remote, cwd=root) if root.is_dir() else ""
    if url and "://" not in url and (root / url).exists():
        return str((root / url).resolve())
    if url:
        return url
    if Path(remote).exists():
        return str(Path(remote).resolve())
    return remote


REMOTE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""What a remote's name looks like; a URL has '://' or (scp-like) ':', a path a '/'."""


def check_remote(root: Path, remote: str) -> None:
    """Raise UnknownRemote when `remote` looks like a remote's name, and the journal's folder
    has no such remote and no such file."""
    if not REMOTE_NAME.fullmatch(remote) or remote_url(root, remote) != remote or Path(remote).exists():
        return
    where = (
        "the journal's git repository has no remote"
        if _try_git("rev-parse", "--git-dir", cwd=root)
        else "the journal's folder is not a git repository, so it has no remote"
    )
    raise UnknownRemote(
        f"{where} named '{remote}': add one (git remote add {remote} URL) or pass --remote with the repository's URL"
    )


def _neutral_identity(day: date) -> dict[str, str]:
    """Who and when, as the public commit shows it: nobody in particular, on `day` at
    00:00:00 UTC. The user's git name and e-mail and the exact time would say who keeps
    the journal and when they work on it."""
    when = f"@{int(datetime.combine(day, time(), UTC).timestamp())} +0000"
    return {
        "GIT_AUTHOR_NAME": NEUTRAL_NAME,
        "GIT_AUTHOR_EMAIL": NEUTRAL_EMAIL,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": NEUTRAL_NAME,
        "GIT_COMMITTER_EMAIL": NEUTRAL_EMAIL,
        "GIT_COMMITTER_DATE": when,
    }


def child_environment() -> dict[str, str]:
    """This process's environment for git, less the passphrase and less any GIT_ variable
    that would point git at the user's repository instead of the throwaway one."""
    return {
        key: value for key, value in os.environ.items() if key != PASSPHRASE_VARIABLE and not key.startswith("GIT_")
    }


def publish(
    root: Path,
    files: dict[str, bytes],
    remote: str,
    branch: str,
    day: date,
    message: str = DEFAULT_MESSAGE,
    dry_run: bool = False,
) -> Published:
    """Commit `files` as the whole content of `branch` (no parent), dated `day`, and
    force-push it to `remote`; with `dry_run`, make the commit but push nothing."""
    url = remote_url(root, remote)
    inherited = child_environment()
    with tempfile.TemporaryDirectory(prefix="journal-publish-") as temporary:
        work = Path(temporary) / "site"
        for path, data in files.items():
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        git_dir = Path(temporary) / "repo.git"
        _git("init", "--quiet", "--bare", str(git_dir), env=inherited)
        env = {
            **inherited,
            **_neutral_identity(day),
            "GIT_DIR": str(git_dir),
            "GIT_WORK_TREE": str(work),
            "GIT_INDEX_FILE": str(Path(temporary) / "index"),
        }
        _git(
            "add", "--all", "--force", ".", cwd=work, env=env
        )  # --force: the user's global excludes do not apply to a site
        tree = _git("write-tree", env=env)
        commit = _git("commit-tree", tree, "-m", message, env=env)
        listed = _git("ls-tree", "-r", "-z", "--name-only", commit, env=env)
        if not dry_run:
            _git("push", "--force", "--quiet", url, f"{commit}:refs/heads/{branch}", cwd=work, env=env)
    return Published(
        hide_credentials(url), branch, commit, tuple(sorted(filter(None, listed.split("\0")))), not dry_run
    )
