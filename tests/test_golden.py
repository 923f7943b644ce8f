"""A golden site for a small fixed journal, compared file by file. When the output changes on
purpose, run `python tests/regenerate_golden.py` and review the diff before committing it."""

from __future__ import annotations

import shutil

from conftest import site_files
from regenerate_golden import GOLDEN, TODAY

from journal.build import build


def test_the_site_matches_the_golden_tree(tmp_path):
    root = tmp_path / "journal"
    shutil.copytree(GOLDEN / "journal", root, ignore=shutil.ignore_patterns(".journal-cache"))
    assert build(root, tmp_path / "site", TODAY).problems == ()
    expected, actual = site_files(GOLDEN / "site"), site_files(tmp_path / "site")
    assert sorted(actual) == sorted(expected), (
        "pages added or missing: regenerate on purpose (tests/regenerate_golden.py)"
    )
    changed = [path for path in expected if actual[path] != expected[path]]
    assert changed == [], (
        "pages differ from the golden site: review, then regenerate on purpose (tests/regenerate_golden.py)"
    )
