"""journal: a static-site generator for a personal networking journal."""

__version__ = "0.1.0"
