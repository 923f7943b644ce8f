"""Create new entry files from the templates new-meeting.md and new-contact.md, and a new
journal root (`journal init`) from the init-* templates.

The only module that writes into entries/, and only new files: it never overwrites.
"""

from __future__ import annotations

import json
import secrets
import string
from datetime import date, timedelta
from pathlib import Path

from . import __version__
from .editor_schema import KINDS_OF_FILE, editor_schema
from .sources import CACHE_DIR, CONTACTS, ENTRIES, SITE, template_file
from .text import address, fold, slugify


class AlreadyExists(Exception):
    """The file (or a card for the same person) is there already; nothing was written."""


def _template(root: Path, name: str) -> string.Template:
    return string.Template(template_file(root, name).read_text(encoding="utf-8"))


def _create(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        try:
            handle.write(text)
            handle.flush()
        except OSError:
            path.unlink()  # ours: "x" just made it; a half-written card would fail `check`
            raise


def _fill(template: string.Template, dates: dict[str, str], **values: str) -> str:
    """The template with `dates` in as they are, and `values` quoted as YAML strings inside
    the front matter and as given in the body: a name like 'Dr. Ng: dentist', '#1 Fan' or
    'Lee, Pat' would otherwise break the YAML or become two people."""
    text = template.template
    end = text.find("\n---", 3) if text.startswith("---") else -1
    if end < 0:
        return template.safe_substitute(dates, **values)
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    front, body = string.Template(text[:end]), string.Template(text[end:])
    return front.safe_substitute(dates, **quoted) + body.safe_substitute(dates, **values)


def new_meeting(root: Path, name: str, today: date) -> Path:
    """entries/YYYY/YYYY-MM-DD-name.md; a second meeting the same day gets -2, -3..."""
    folder = root / ENTRIES / f"{today:%Y}"
    base = f"{today.isoformat()}-{slugify(name)}"
    text = _fill(
        _template(root, "new-meeting.md"), {"date": today.isoformat()}, name=name, title=f"Meeting with {name}"
    )
    for attempt in range(1, 100):
        path = folder / (f"{base}.md" if attempt == 1 else f"{base}-{attempt}.md")
        try:
            _create(path, text)
            return path
        except FileExistsError:
            continue
    raise AlreadyExists(f"too many notes named {base}")


def new_contact(root: Path, name: str, today: date, existing_names: dict[str, str]) -> Path:
    """entries/contacts/ADDRESS.md (text.address(), as new_card), unless a card for this
    person exists (`existing_names`: folded name -> card path)."""

    if fold(name) in existing_names:
        raise AlreadyExists(f"{existing_names[fold(name)]} is already a card for {name}")
    path = root / CONTACTS / f"{address(name)}.md"
    text = _fill(_template(root, "new-contact.md"), {"decide_by": (today + timedelta(days=14)).isoformat()}, name=name)
    try:
        _create(path, text)
    except FileExistsError:
        raise AlreadyExists(f"{path.relative_to(root)} already exists") from None
    return path


def init_journal(root: Path, today: date, workflow: str) -> list[tuple[Path, bool]]:
    """A journal root ready to use and to publish: [(path, True if created)]. A file that is
    already there is kept as it is (False), so init is safe to run in an existing folder.
    `workflow` picks the Actions workflow: "free" pushes the encrypted
    site to a separate public repository, which GitHub's free plan serves; "pages" deploys
    with GitHub Pages from the notes repository itself, which needs a paid plan when the
    repository is private."""
    values = {"date": today.isoformat(), "decide_by": (today + timedelta(days=14)).isoformat()}
    wanted = {
        "journal.yaml": _template(root, "init-journal.yml").safe_substitute(site_id=secrets.token_hex(16)),
        f"entries/{today:%Y}/{today.isoformat()}-sam-example.md": _template(root, "init-note.md").safe_substitute(
            values
        ),
        "entries/contacts/sam-example.md": _template(root, "init-card.md").safe_substitute(values),
        ".gitignore": f"{SITE}/\n{CACHE_DIR}/\n",
        ".pre-commit-config.yaml": _template(root, "init-pre-commit.yml").template,
        ".github/workflows/publish.yml": _template(root, f"init-workflow-{workflow}.yml").safe_substitute(
            version=__version__
        ),
        **_editor_files(),
    }
    results = []
    for relative, text in wanted.items():
        path = root / relative
        try:
            _create(path, text)
            results.append((path, True))
        except FileExistsError:
            results.append((path, False))
    return results


def _editor_files() -> dict[str, str]:
    """The entry format's JSON Schemas (`journal schema`) in .journal/schemas/, for any editor
    to use, and the VS Code setting that has Red Hat's YAML extension check journal.yaml with
    one. That extension does not look inside Markdown, so no setting can point it at the
    front matter of entries/ (redhat-developer/vscode-yaml#207)."""
    files = {
        f".journal/schemas/{kind}.json": json.dumps(editor_schema(kind), indent=2, ensure_ascii=False) + "\n"
        for kind in KINDS_OF_FILE
    }
    settings = {"yaml.schemas": {"./.journal/schemas/config.json": ["journal.yaml"]}}
    return {**files, ".vscode/settings.json": json.dumps(settings, indent=2) + "\n"}


def _yaml_value(value: str | tuple[str, ...]) -> str:
    """A value the front-matter reader takes exactly as given: a JSON string is a YAML
    double-quoted scalar, so commas, colons, '#', a leading '+' or 'no' survive untouched."""
    if isinstance(value, tuple):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def card_text(fields: dict[str, str | tuple[str, ...]], body: str) -> str:
    """A card's whole text: `fields` (empty ones left out) as front matter, then `body`."""
    lines = [f"{key}: {_yaml_value(value)}" for key, value in fields.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def new_card(root: Path, fields: dict[str, str | tuple[str, ...]], body: str) -> Path:
    """entries/contacts/slug.md holding `fields` (empty ones left out) and `body`; refuses
    to overwrite. `fields` must hold 'name'. Used by `journal import`. The file is named by
    text.address(), as `journal check` names the person before they have a card: two people
    whose names slug alike get two cards, and the card keeps the address the person had."""
    path = root / CONTACTS / f"{address(str(fields['name']))}.md"
    try:
        _create(path, card_text(fields, body))
    except FileExistsError:
        raise AlreadyExists(f"{path.relative_to(root)} already exists") from None
    return path


def new_notes(root: Path, notes: list[tuple[str, str]]) -> list[Path]:
    """Each (path relative to the root, text) written as a new file, in order: imported notes
    (`journal import calendar`). Never overwrites: if one file cannot be made (it is there
    already, the disk is full), the ones made before it are removed and the error raised, so
    an import writes all its notes or none."""
    written: list[Path] = []
    try:
        for relative, text in notes:
            path = root / relative
            try:
                _create(path, text)
            except FileExistsError:
                raise AlreadyExists(f"{relative} already exists") from None
            written.append(path)
    except (AlreadyExists, OSError):
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
