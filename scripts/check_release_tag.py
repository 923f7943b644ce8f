"""Check that a release tag names the version the distribution will carry: `v0.2.0` for 0.2.0.

The release workflow (.github/workflows/release.yml) runs this in the checkout before it
builds anything, so a tag that disagrees with the version publishes nothing. The version is
what pyproject.toml says: written there, or (as journal does) read by setuptools from the
module attribute `[tool.setuptools.dynamic]` names, which is found here without importing it.

    python scripts/check_release_tag.py v0.2.0     # in the repository's root

Exit 0 when the tag matches, 1 when it does not (saying which tag to make), 2 on misuse.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path


def version_of(root: Path) -> str:
    """The version pyproject.toml at `root` gives the distribution."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    if "version" in pyproject["project"]:
        return str(pyproject["project"]["version"])
    attribute = pyproject["tool"]["setuptools"]["dynamic"]["version"]["attr"]  # "journal.__version__"
    module, _, name = attribute.rpartition(".")
    base = root / module.replace(".", "/")
    source = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return str(ast.literal_eval(node.value))
    raise SystemExit(f"{source.relative_to(root)} does not set {name}, which pyproject.toml reads the version from")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: python {argv[0]} TAG   (the tag being released, like v0.2.0)", file=sys.stderr)
        return 2
    tag, version = argv[1], version_of(Path.cwd())
    if tag != f"v{version}":
        print(
            f"the tag '{tag}' does not match the version in pyproject.toml, {version}: "
            f"tag the release v{version}, or change the version first",
            file=sys.stderr,
        )
        return 1
    print(f"the tag {tag} matches the version {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
