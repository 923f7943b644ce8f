"""The import rules of STYLE.md, checked by walking the package with ast."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "journal"

# third-party (or side-effect heavy) module -> the one package module allowed to import it
OWNERS = {
    "yaml": {"frontmatter"},
    "jinja2": {"render"},
    "markdown": {"prose"},
    "nh3": {"prose"},
    "markupsafe": {"render"},
    "watchdog": {"watch"},
    "http": {"serve"},
    "cryptography": {"encrypt"},
    "icalendar": set(),  # the tests read the calendar feed back with it; journal writes its own
    "vobject": {"importers"},
    "subprocess": {"publish"},
}
# package modules that must stay pure: what they may import from the package
PURE = {
    "model": set(),
    "problems": set(),
    "text": set(),
    "views": {"keys", "model"},  # keys: a brief is handed to the caller's memory by a pure key
    "charts": {"model", "views"},
    "redact": {"fields", "model", "text"},
    "prose": {"redact", "wikilinks"},  # the publish renderer asks redact whether a heading says Private
    "wikilinks": {"model", "problems", "text"},
    "editor_schema": {"frontmatter", "model", "schema"},  # the parser's own tables, nothing else
    "plan": {"charts", "keys", "model", "text", "views"},  # the page plan: no template engine
    "keys": set(),
    "names": {"assemble", "model", "problems", "text"},
    "fields": set(),  # every front-matter field, defined once: everyone reads it, it reads no one
}

# The stages the data flows through (read -> parse -> assemble -> check -> plan -> render ->
# write) and the helpers they use. None of them may know that a cache or the preview's memory
# exists: speed is wrapped around them from above (build.py, incremental.py), and what they
# reuse comes in as plain data or a `remember` callable.
STAGES = {
    "sources",
    "frontmatter",
    "schema",
    "load",
    "assemble",
    "checks",
    "model",
    "views",
    "charts",
    "plan",
    "render",
    "prose",
    "search",
    "calendar",
    "sitefiles",
    "write",
    "text",
    "wikilinks",
    "redact",
    "report",
    "keys",
    "problems",
    "parallel",
    "encrypt",
    "scaffold",
    "editor_schema",
    "importers",
    "names",
    "fields",
}
# Above the stages: the commands and what they keep between runs.
ABOVE = {"build", "publish", "cache", "incremental", "prefetch", "serve", "watch", "cli", "__init__"}
# module -> the only modules that may import it
IMPORTED_ONLY_BY = {
    "cache": {"build", "publish", "incremental"},  # the disk cache, wrapped around the stages
    "incremental": {"serve"},  # the preview's memory
    "serve": {"cli"},
    "cli": set(),
}


def imports_of(path: Path) -> set[str]:
    """Top-level names imported: 'yaml', 'http', and '.model' style names for the package."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if node.module:
                    names.add("." + node.module.split(".")[0])
                else:
                    names.update("." + alias.name for alias in node.names)
            elif node.module:
                names.add(node.module.split(".")[0])
    return names


def modules() -> dict[str, set[str]]:
    return {path.stem: imports_of(path) for path in PACKAGE.glob("*.py")}


def test_each_third_party_package_lives_in_one_module():
    for module, names in modules().items():
        for name in names:
            if name in OWNERS:
                assert module in OWNERS[name], f"journal/{module}.py imports {name}; only {OWNERS[name]} may"


def test_pure_modules_import_no_io_and_little_of_the_package():
    for module, allowed in PURE.items():
        names = modules()[module]
        package = {name[1:] for name in names if name.startswith(".")}
        assert package <= allowed, f"{module} imports {package - allowed}"
        assert not names & {"os", "pathlib", "io", "shutil", "subprocess", "socket"}, f"{module} does I/O"


def test_nothing_imports_the_cli_and_only_the_cli_prints():
    for path in PACKAGE.glob("*.py"):
        assert ".cli" not in imports_of(path), f"{path.name} imports the CLI"
        if path.stem == "cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("print", "exit", "input")
        ]
        assert not calls, f"{path.name} calls {calls[0].func.id}()"


def test_every_module_is_a_stage_or_above_the_stages():
    assert set(modules()) <= STAGES | ABOVE, f"classify {set(modules()) - STAGES - ABOVE} in STAGES or ABOVE"


def test_no_stage_imports_the_disk_cache_or_the_preview_memory():
    for module, names in modules().items():
        if module in STAGES:
            assert not names & {".cache", ".incremental", ".build", ".publish", ".serve"}, (
                f"stage {module} imports {names & {'.cache', '.incremental', '.build', '.publish', '.serve'}}"
            )


def test_the_cache_the_preview_memory_and_the_server_have_few_importers():
    for module, names in modules().items():
        for imported, allowed in IMPORTED_ONLY_BY.items():
            if "." + imported in names:
                assert module in allowed, f"journal/{module}.py imports {imported}; only {allowed or 'nothing'} may"


def test_new_and_init_load_no_template_engine():
    """`journal new` and `journal init` (scaffold.py, and encrypt.py's page paths) start
    without Jinja2, Markdown or icalendar: they write a file from a template by string
    substitution and need no renderer."""
    heavy = ("jinja2", "markdown", "icalendar")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, journal.scaffold, journal.encrypt; print([m for m in {heavy!r} if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"
