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
    # `journal import calendar` reads exports with these; journal writes its own feed (calendar.py)
    "icalendar": {"calendar_import"},
    "recurring_ical_events": {"calendar_import"},
    "x_wr_timezone": {"calendar_import"},
    "dateutil": {"calendar_import"},
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
    "export": {"model", "redact", "views"},  # the documents `journal export` writes; the command writes them
    "export_schema": {"export", "model"},
}

# The stages the data flows through (read -> parse -> assemble -> check -> plan -> render ->
# write) and the helpers they use. None of them may know that a cache or the preview's memory
# exists: speed is wrapped around them from above (build.py, incremental.py), and what they
# reuse comes in as plain data or a `remember` callable.
STAGES = {
    "sources",
    "frontmatter",
    "schema",
    "pipeline",
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
    "write",
    "text",
    "wikilinks",
    "redact",
    "report",
    "keys",
    "problems",
    "encrypt",
    "scaffold",
    "editor_schema",
    "importers",
    "capture",
    "calendar_import",
    "mail_import",
    "names",
    "fields",
    "export",
    "export_schema",
}
# Above the stages: the commands, and journal/speed/ (every module in it): what they keep
# between runs and how they spread work over the cores.
COMMANDS = {"build", "publish", "serve", "cli"}
ABOVE = COMMANDS | {"watch", "__init__"}
# module -> the only modules that may import it
IMPORTED_ONLY_BY = {
    "speed": COMMANDS,  # the cache, the pool, the prefetch, the preview's memory: only commands
    "serve": {"cli"},
    "cli": set(),
}


def imports_of(path: Path) -> set[str]:
    """Top-level names imported: 'yaml', 'http', and '.model' style names for the package's
    own modules, by the name under journal/ a relative import reaches ('.speed' for anything
    in journal/speed/, from outside it or within)."""
    names = set()
    here = path.relative_to(PACKAGE).parent.parts  # () for journal/, ('speed',) for journal/speed/
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                if base:
                    names.add("." + base[0])
                elif node.module:
                    names.add("." + node.module.split(".")[0])
                else:
                    names.update("." + alias.name for alias in node.names)
            elif node.module:
                names.add(node.module.split(".")[0])
    return names


def modules() -> dict[str, set[str]]:
    """{'model': its imports, ..., 'speed.cache': ...}: every module of the package."""
    return {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts): imports_of(path) for path in PACKAGE.rglob("*.py")
    }


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
    for path in PACKAGE.rglob("*.py"):
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
    unplaced = {name for name in modules() if not name.startswith("speed.")} - STAGES - ABOVE
    assert not unplaced, f"classify {unplaced} in STAGES or ABOVE"


def test_no_stage_imports_the_disk_cache_or_the_preview_memory():
    for module, names in modules().items():
        if module in STAGES:
            above = {".speed", ".build", ".publish", ".serve", ".cli"}
            assert not names & above, f"stage {module} imports {names & above}"


def test_speed_and_the_server_have_few_importers():
    for module, names in modules().items():
        for imported, allowed in IMPORTED_ONLY_BY.items():
            if "." + imported in names and not module.startswith(imported + "."):
                assert module in allowed, f"journal/{module}.py imports {imported}; only {allowed or 'nothing'} may"


def test_speed_imports_no_command():
    """The speed devices sit above the stages and below the commands: a preview's memory
    that imported the build command would wire the commands into each other again."""
    for module, names in modules().items():
        if module.startswith("speed."):
            assert not names & {".build", ".publish", ".serve", ".cli"}, f"journal/{module}.py imports a command"


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
