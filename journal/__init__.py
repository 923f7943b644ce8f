"""journal: a static-site generator for a personal networking journal.

Distributed as networking-journal. `__version__` is the one place the version is written:
pyproject.toml reads it (setuptools' dynamic version), `journal --version` prints it, and
the build cache's salt includes it, so an upgrade never reuses an older version's results.
"""

__version__ = "0.2.0"
