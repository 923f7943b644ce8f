"""`journal init`: a new journal root that checks clean, publishes, and never overwrites."""

from __future__ import annotations

import yaml

FILES = [
    "journal.yaml",
    "entries/2026/2026-11-23-sam-example.md",
    "entries/contacts/sam-example.md",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/publish.yml",
    ".journal/schemas/note.json",
    ".journal/schemas/card.json",
    ".journal/schemas/config.json",
    ".vscode/settings.json",
]


def test_init_creates_a_journal_that_checks_clean(cli, tmp_path):
    root = tmp_path / "mine"
    result = cli("init", str(root), "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"created {root / name}" for name in FILES]
    assert (root / ".gitignore").read_text() == "site/\n.journal-cache/\n"
    check = cli("check", "--root", str(root), "--today", "2026-11-23")
    assert check.stdout == "ok: 1 meeting, 1 contact, 2 promises\n", check.stderr
    build = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--out",
        str(tmp_path / "out"),
        env={"JOURNAL_PASSPHRASE": "plum basket orbit violin"},
    )
    assert build.returncode == 0, build.stderr


def test_init_never_overwrites(cli, tmp_path):
    root = tmp_path / "mine"
    (root / "entries" / "contacts").mkdir(parents=True)
    (root / "journal.yaml").write_text("title: Mine\n")
    (root / ".gitignore").write_text("*.bak\n")
    result = cli("init", str(root), "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr
    assert f"kept existing {root / 'journal.yaml'}" in result.stdout.splitlines()
    assert f"kept existing {root / '.gitignore'}" in result.stdout.splitlines()
    assert (root / "journal.yaml").read_text() == "title: Mine\n"
    assert (root / ".gitignore").read_text() == "*.bak\n"
    again = cli("init", str(root), "--today", "2026-11-23")
    assert again.stdout.splitlines() == [f"kept existing {root / name}" for name in FILES]


def test_init_gives_every_journal_its_own_site_id(cli, tmp_path):
    ids = []
    for name in ("one", "two"):
        assert cli("init", str(tmp_path / name), "--today", "2026-11-23").returncode == 0
        ids.append(yaml.safe_load((tmp_path / name / "journal.yaml").read_text())["publish"]["site_id"])
    assert all(len(site_id) == 32 and set(site_id) <= set("0123456789abcdef") for site_id in ids)
    assert ids[0] != ids[1]
