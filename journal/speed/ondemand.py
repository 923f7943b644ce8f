"""The pages a preview's first build serves before it has written them.

On a big journal the first `journal serve` from cold (no build cache, no site) spends a few
seconds reading and assembling the notes, and far longer planning and rendering pages
nobody has asked for yet. Once the journal is assembled, the page a browser asks for is
planned alone (plan.page_alone: the dashboard, the overdue page, a meeting's, a contact's)
and rendered here, in the request's thread, while the build goes on; once the build has
planned the whole site, any page of it is. The bytes are the build's: the same journal,
day, templates and plan entry, rendered by a Renderer of its own (a Markdown converter is
not shared between threads), so the page equals the one written when the build ends.

Rendering beside a build that forks its workers: each render holds parallel.no_fork(), so
no worker is forked while this thread is inside Jinja or Markdown (a lock held there would
stay held in the child). Renders take turns: the converter is one.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from ..model import Journal
from ..pipeline import static_files
from ..plan import Page, page_alone
from ..render import CompiledTemplates, Renderer
from . import parallel


class _Shared:
    """What every OnDemand of one build shares: the renderer, the static files and the lock."""

    def __init__(self, root: Path, journal: Journal, today: date, compiled: CompiledTemplates) -> None:
        self.root, self.journal, self.today, self.compiled = root, journal, today, compiled
        self.lock = threading.Lock()
        self.renderer: Renderer | None = None
        self.static: dict[str, bytes] | None = None

    def ready(self) -> Renderer:
        if self.renderer is None:
            self.renderer = Renderer(self.root, self.journal, self.today, compiled=self.compiled)
            self.static = static_files(self.renderer)
        return self.renderer


class OnDemand:
    """The files of a build still running that can be made now, one at a time. Immutable
    to its holder: `planned` gives a new one, so a request that found nothing here sees
    that there is something new to ask."""

    def __init__(self, shared: _Shared, plan: dict[str, Page] | None = None) -> None:
        self._shared, self._plan = shared, plan

    @classmethod
    def of(cls, root: Path, journal: Journal, today: date, compiled: CompiledTemplates) -> OnDemand:
        return cls(_Shared(root, journal, today, compiled))

    def planned(self, pages: list[Page]) -> OnDemand:
        """This one, knowing every page of the site as the build planned it."""
        return OnDemand(self._shared, {page.path: page for page in pages})

    def file(self, path: str) -> bytes | None:
        """The bytes the build will write at `path` (relative to the site), or None when they
        cannot be made before the build writes them: a data file (the search index, the
        calendar feed), a list page before the plan, a path that is no file of the site, or
        a template that fails (the build reports it)."""
        shared = self._shared
        with shared.lock, parallel.no_fork():
            try:
                renderer = shared.ready()
                if shared.static is not None and path in shared.static:
                    return shared.static[path]
                page = self._plan.get(path) if self._plan is not None else None
                if page is None and self._plan is None:
                    page = page_alone(shared.journal, shared.today, renderer.paths, path)
                return None if page is None else renderer.render_page(page)
            except Exception:  # a template's mistake or journal's bug: the build says which
                return None
