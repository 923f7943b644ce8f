"""`journal schema`: the JSON Schema editors get agrees with journal itself, checked with the
reference validator (jsonschema) on the demo journal and on each class of broken file."""

from __future__ import annotations

import json
import string

import jsonschema
import pytest
import yaml
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz import FUZZ, HOSTILE_VALUES

from journal.editor_schema import editor_schema
from journal.frontmatter import compose, split
from journal.schema import (
    CARD_SHAPES,
    COMMITMENT_SHAPES,
    CONFIG_SHAPES,
    GAVE_SHAPES,
    NOTE_SHAPES,
    PUBLISH_SHAPES,
    RECEIVED_SHAPES,
    parse_card,
    parse_config,
    parse_note,
)

# libyaml, as frontmatter.py reads (the pure-Python reader refuses a few things libyaml takes),
# resolving no types.
LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
# Red Hat's YAML extension validates with draft-07 (redhat-developer/yaml-language-server#856):
# the schema keeps to keywords that mean the same in both, and every test runs both.
VALIDATORS = (jsonschema.Draft202012Validator, jsonschema.Draft7Validator)


def front_matter(text: str):
    """The front matter as journal reads it: every scalar the text typed (BaseLoader
    resolves no types, as frontmatter.py), so '2026-10-01' stays a string."""
    lines = text.split("\n")
    end = next(index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "..."))
    return yaml.load("\n".join(lines[1:end]), Loader=LOADER) or {}


def errors(kind: str, instance) -> list[jsonschema.ValidationError]:
    found = []
    for validator in VALIDATORS:
        found.append(sorted(validator(editor_schema(kind)).iter_errors(instance), key=str))
    assert [[e.message for e in each] for each in found[1:]] == [[e.message for e in found[0]]] * (len(found) - 1)
    return found[0]


def blamed(error: jsonschema.ValidationError) -> tuple:
    """The path of the value an error is about: an extra field's own name for
    additionalProperties, else the deepest path among the alternatives an anyOf tried."""
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return (*error.absolute_path, *extra)
    if error.validator == "required":
        return (*error.absolute_path, error.message.split("'")[1])
    deepest = max((blamed(sub) for sub in error.context), key=len, default=())
    return max((tuple(error.absolute_path), deepest), key=len)


def demo_files():
    for root in (REPO, REPO / "tests" / "golden" / "journal"):
        yield from sorted((root / "entries").rglob("*.md"))


@pytest.mark.parametrize("kind", ["note", "card", "config"])
def test_the_schema_is_valid_draft_2020_12_and_names_every_field_the_parser_knows(kind):
    schema = editor_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    top = {"note": NOTE_SHAPES, "card": CARD_SHAPES, "config": CONFIG_SHAPES}[kind]
    assert list(schema["properties"]) == list(top)
    definitions = schema["$defs"]
    assert list(definitions["commitments"]["anyOf"][0]["properties"]) == list(COMMITMENT_SHAPES)
    assert list(definitions["gave"]["anyOf"][0]["properties"]) == list(GAVE_SHAPES)
    assert list(definitions["received"]["anyOf"][0]["properties"]) == list(RECEIVED_SHAPES)
    assert list(definitions["publish"]["properties"]) == list(PUBLISH_SHAPES)
    every_shape = {
        shape
        for table in (
            NOTE_SHAPES,
            CARD_SHAPES,
            CONFIG_SHAPES,
            COMMITMENT_SHAPES,
            GAVE_SHAPES,
            RECEIVED_SHAPES,
            PUBLISH_SHAPES,
        )
        for shape in table.values()
    }
    assert every_shape <= set(definitions)


@pytest.mark.parametrize("path", list(demo_files()), ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_demo_note_and_card_validates(path):
    kind = "card" if path.parent.name == "contacts" else "note"
    assert errors(kind, front_matter(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", [REPO / "journal.yaml", REPO / "tests" / "golden" / "journal" / "journal.yaml"])
def test_the_demo_settings_validate(path):
    assert errors("config", yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)) == []


def test_the_files_init_writes_validate():
    values = {"date": "2026-11-23", "decide_by": "2026-12-07", "site_id": "0" * 32}
    for name, kind in (("init-note.md", "note"), ("init-card.md", "card"), ("init-journal.yml", "config")):
        text = string.Template((REPO / "templates" / name).read_text(encoding="utf-8")).substitute(values)
        instance = yaml.load(text, Loader=LOADER) if kind == "config" else front_matter(text)
        assert errors(kind, instance) == [], name


def test_values_an_editor_types_are_taken_as_journal_takes_the_text():
    """An editor's YAML reader makes `30` a number and `true` a boolean; journal reads text."""
    assert errors("card", {"name": "Pat", "cadence": 30, "phone": 4412345, "status": "Active", "aliases": None}) == []
    assert (
        errors(
            "note",
            {
                "date": "2026-10-01 9:30",
                "follow_up": False,
                "commitments": {"by": "me", "what": "x", "done": True, "due": "2w"},
            },
        )
        == []
    )
    assert (
        errors(
            "note", {"date": "2026-10-01", "follow_up": {"Dana": "2026-10-03", "Eli": None}, "fulfills": "pat-intro"}
        )
        == []
    )
    assert (
        errors("config", {"follow_up_days": 0, "publish": {"encrypt": "Yes", "private_fields": ["company", "where"]}})
        == []
    )
    assert errors("config", None) == []


# (file, its text, the error `journal check` gives, the path the schema blames)
BROKEN = [
    (
        "entries/2026/unknown-field.md",
        "date: 2026-10-01\nfolow_up: 2026-10-03",
        "3: error: unknown field 'folow_up' (did you mean 'follow_up'?)",
        ("folow_up",),
    ),
    (
        "entries/2026/bad-kind.md",
        "date: 2026-10-01\ncommitments:\n  - by: me\n    what: an intro\n    kind: bribe",
        "6: error: commitment kind 'bribe' is not one of introduction, referral, lead, favor, follow-up, other",
        ("commitments", 0, "kind"),
    ),
    (
        "entries/2026/bad-consent.md",
        "date: 2026-10-01\ncommitments:\n  - by: me\n    what: an intro\n    consent: maybe",
        "6: error: consent 'maybe' is not one of yes, asked, no",
        ("commitments", 0, "consent"),
    ),
    (
        "entries/2026/bad-date.md",
        "date: 2026-13-01",
        "2: error: 'date' must be a date like 2026-10-01 (optionally with a time, 2026-10-01 14:30), got '2026-13-01'",
        ("date",),
    ),
    (
        "entries/2026/far-date.md",
        "date: 1850-01-01",
        "2: error: 'date' must be a date from 1900-01-01 to 2200-12-31, got '1850-01-01'",
        ("date",),
    ),
    (
        "entries/2026/no-date.md",
        "title: Coffee",
        "1: error: missing required field 'date' (a date like 2026-10-01)",
        ("date",),
    ),
    (
        "entries/2026/with-mapping.md",
        "date: 2026-10-01\nwith:\n  Pat: friend",
        "4: error: 'with' must be a list of names",
        ("with",),
    ),
    (
        "entries/2026/tags-nested.md",
        "date: 2026-10-01\ntags: [work, [nested]]",
        "3: error: 'tags' must be a list of tags",
        ("tags", 1),
    ),
    (
        "entries/2026/bad-due.md",
        "date: 2026-10-01\ncommitments:\n  - by: me\n    what: an intro\n    due: soon",
        "6: error: 'due' must be a date like 2026-10-01 or a delay like 3d or 2w, got 'soon'",
        ("commitments", 0, "due"),
    ),
    (
        "entries/2026/follow-up-yes.md",
        "date: 2026-10-01\nfollow_up: yes",
        "3: error: 'follow_up' must be a date like 2026-10-03, false, or the people to follow up with ([Dana, Eli]), got 'yes'",
        ("follow_up",),
    ),
    (
        "entries/2026/bad-fulfills.md",
        "date: 2026-10-01\nfulfills: [pat intro]",
        "3: error: 'fulfills' lists commitment ids, one word each like 'pat-intro', got 'pat intro'",
        ("fulfills", 0),
    ),
    (
        "entries/2026/gave-no-what.md",
        "date: 2026-10-01\ngave:\n  - to: Pat",
        "4: error: each 'gave' entry needs 'what'",
        ("gave", 0, "what"),
    ),
    (
        "entries/contacts/bad-status.md",
        "name: Pat Lee\nstatus: friend",
        "3: error: status 'friend' is not one of prospect, active, partner, dormant, declined",
        ("status",),
    ),
    (
        "entries/contacts/bad-cadence.md",
        "name: Pat Lee\ncadence: often",
        "3: error: 'cadence' must be a number of days like 30 (or 4w), got 'often'",
        ("cadence",),
    ),
    (
        "entries/contacts/aliases-mapping.md",
        "name: Pat Lee\naliases:\n  Pat: yes",
        "4: error: 'aliases' must be a list of names",
        ("aliases",),
    ),
    ("entries/contacts/no-name.md", "company: Acme", "1: error: missing required field 'name'", ("name",)),
    (
        "journal.yaml",
        "publish:\n  site_id: 1234",
        "2: error: 'site_id' must be 32 to 64 hex digits (0-9, a-f), like the one `journal init` writes",
        ("publish", "site_id"),
    ),
    (
        "journal.yaml",
        "folow_up_days: 3",
        "1: error: unknown setting 'folow_up_days' (did you mean 'follow_up_days'?)",
        ("folow_up_days",),
    ),
    (
        "journal.yaml",
        "publish:\n  private_fields: [salary]",
        "2: error: 'salary' is not a field that can be kept private",
        ("publish", "private_fields", 0),
    ),
    (
        "journal.yaml",
        "publish:\n  encrypt: maybe",
        "2: error: 'encrypt' must be true or false, got 'maybe'",
        ("publish", "encrypt"),
    ),
]


def _file_text(path: str, fields: str) -> str:
    return fields + "\n" if path == "journal.yaml" else f"---\n{fields}\n---\nBody.\n"


def _kind(path: str) -> str:
    return "config" if path == "journal.yaml" else "card" if path.startswith("entries/contacts/") else "note"


@pytest.fixture(scope="module")
def check_output(tmp_path_factory):
    """`journal check`'s errors, one run per journal.yaml case, the entries all in the first."""
    from conftest import run_cli, write_files

    lines = set()
    configs = [case for case in BROKEN if case[0] == "journal.yaml"]
    entries = {path: _file_text(path, fields) for path, fields, _, _ in BROKEN if path != "journal.yaml"}
    for index, (path, fields, _, _) in enumerate(configs):
        root = write_files(
            tmp_path_factory.mktemp(f"broken{index}"),
            {**(entries if index == 0 else {"entries/.keep": ""}), path: _file_text(path, fields)},
        )
        result = run_cli("check", "--root", str(root), "--today", "2026-11-23")
        assert result.returncode == 1
        lines.update(result.stderr.splitlines())
    return lines


@pytest.mark.parametrize(
    "path,fields,message,field", BROKEN, ids=[case[0].rsplit("/", 1)[-1] + f"-{i}" for i, case in enumerate(BROKEN)]
)
def test_each_broken_file_is_refused_by_journal_and_by_the_schema_for_the_same_field(
    check_output, path, fields, message, field
):
    assert f"{path}:{message}" in check_output
    text = _file_text(path, fields)
    instance = yaml.load(text, Loader=LOADER) if path == "journal.yaml" else front_matter(text)
    found = errors(_kind(path), instance)
    assert [blamed(error) for error in found] == [field], [e.message for e in found]


def test_the_command_prints_the_schema(cli):
    for kind in ("note", "card", "config"):
        result = cli("schema", kind)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == editor_schema(kind)
    assert json.loads(cli("schema").stdout) == editor_schema("note")
    wrong = cli("schema", "meeting")
    assert wrong.returncode == 2 and "invalid choice: 'meeting'" in wrong.stderr


def test_init_writes_the_schemas_and_the_vs_code_setting(cli, tmp_path):
    assert cli("init", str(tmp_path), "--today", "2026-11-23").returncode == 0
    for kind in ("note", "card", "config"):
        assert json.loads((tmp_path / ".journal" / "schemas" / f"{kind}.json").read_text()) == editor_schema(kind)
    settings = json.loads((tmp_path / ".vscode" / "settings.json").read_text())
    assert settings == {"yaml.schemas": {"./.journal/schemas/config.json": ["journal.yaml"]}}


def test_init_keeps_an_existing_vs_code_setting(cli, tmp_path):
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text('{"editor.tabSize": 2}\n')
    result = cli("init", str(tmp_path), "--today", "2026-11-23")
    assert f"kept existing {tmp_path / '.vscode' / 'settings.json'}" in result.stdout.splitlines()
    assert (tmp_path / ".vscode" / "settings.json").read_text() == '{"editor.tabSize": 2}\n'


PLAUSIBLE = [
    "Pat Lee",
    "[Pat, Dana]",
    "[]",
    "{Dana: 2026-10-03, Eli: }",
    "false",
    "No",
    "true",
    "30",
    "4w",
    "0",
    "3d",
    "pat-intro",
    "[pat-intro, b.2]",
    "2026-10-03 9:05",
    "2026-10-03T23:59:59",
    "Introduction",
    "ASKED",
    "Active",
    "~",
    "''",
]
VALUES = st.one_of(st.sampled_from(PLAUSIBLE + HOSTILE_VALUES), st.text(max_size=10))


@st.composite
def known_fields(draw, table: dict) -> str:
    """Front matter of fields the parser knows, with values it may or may not take."""
    lines = []
    for key in draw(st.lists(st.sampled_from(list(table)), unique=True, max_size=5)):
        nested = {
            "commitments": COMMITMENT_SHAPES,
            "gave": GAVE_SHAPES,
            "received": RECEIVED_SHAPES,
            "publish": PUBLISH_SHAPES,
        }.get(key)
        if nested:
            item = draw(st.dictionaries(st.sampled_from(list(nested)), VALUES, max_size=5))
            lines.append(f"{key}:")
            dash = "  " if key == "publish" else "- "
            lines += [
                f"  {dash if index == 0 else '  '}{field}: {value}" for index, (field, value) in enumerate(item.items())
            ]
        else:
            lines.append(f"{key}: {draw(VALUES)}")
    return "\n".join(lines)


def anchors_repeat(text: str) -> bool:
    """Whether one anchor name is set twice (`title: &a x` then `with: &a y`): YAML 1.2 allows
    it and journal takes it (it follows no alias), but PyYAML's composer, this test's reader,
    refuses it, so the schema's verdict cannot be read."""
    try:
        anchors = [
            event.anchor
            for event in yaml.parse(text, Loader=LOADER)
            if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent) and event.anchor is not None
        ]
    except yaml.YAMLError:
        return False  # broken YAML: journal reports it, and the test asks nothing of the schema
    return len(anchors) != len(set(anchors))


@settings(FUZZ, max_examples=1000)
@given(
    st.sampled_from(["note", "card", "config"]).flatmap(
        lambda kind: st.tuples(
            st.just(kind), known_fields({"note": NOTE_SHAPES, "card": CARD_SHAPES, "config": CONFIG_SHAPES}[kind])
        )
    )
)
def test_what_journal_takes_without_a_problem_the_schema_takes_too(case):
    """No false alarms in the editor: front matter that journal parses cleanly passes the
    schema (the schema may let through what only the parser sees, never less). One known
    exception: journal reads digits of any script (Python's int reads '٣٠' as 30), an
    editor's patterns only ASCII digits. An explicit tag (`!!null x`) is left out: journal
    and editors honour it, this test's type-blind reader does not; so is an anchor set twice
    (see anchors_repeat)."""
    kind, fields = case
    if (
        "!!" in fields
        or any(character.isdigit() and not character.isascii() for character in fields)
        or anchors_repeat(fields)
    ):
        return
    if kind == "config":
        tree, problems = compose(fields, "journal.yaml")
        problems += parse_config("journal.yaml", tree)[1] if not problems else []
        instance = yaml.load(fields, Loader=LOADER) if not problems else None
    else:
        text = f"---\n{'date: 2026-10-01' if kind == 'note' else 'name: Pat Lee'}\n{fields}\n---\n"
        path = "entries/contacts/pat.md" if kind == "card" else "entries/2026/a.md"
        problems = (parse_card if kind == "card" else parse_note)(path, split(text, path))[1]
        instance = front_matter(text) if not problems else None
    if not problems:
        assert errors(kind, instance) == [], fields
