"""The Actions workflows `journal init` writes. The free-plan one is run here as GitHub would
run it, as far as a machine without GitHub can: its steps' shell scripts are taken from the
YAML, their ${{ secrets.* }} and ${{ vars.* }} filled in, and run with bash against a real
bare repository standing in for the public site repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import git
from sealed import decrypt_site

from journal import __version__

PASSPHRASE = "correct horse battery staple"
# GitHub's published fingerprint of its Ed25519 host key (docs.github.com, "GitHub's SSH key
# fingerprints"): the key pinned in the workflow must be the one it names.
GITHUB_ED25519 = "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU"
EXPRESSION = re.compile(r"\$\{\{\s*(secrets|vars|runner)\.(\w+)\s*\}\}")


def steps_of(root: Path) -> list[dict]:
    workflow = yaml.safe_load((root / ".github/workflows/publish.yml").read_text())
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step(steps: list[dict], name: str) -> dict:
    return next(step for step in steps if step.get("name") == name)


def expand(text: str, context: dict[str, dict[str, str]], runner_temp: Path) -> str:
    """`text` with its ${{ secrets.* }}, ${{ vars.* }} (an unset one is empty, as on GitHub)
    and ${{ runner.temp }} filled in."""
    contexts = {**context, "runner": {"temp": str(runner_temp)}}
    return EXPRESSION.sub(lambda match: contexts[match[1]].get(match[2], ""), text)


def run_step(
    found: dict, context: dict[str, dict[str, str]], cwd: Path, home: Path, runner_temp: Path
) -> subprocess.CompletedProcess:
    """The step's `run:` with bash -e (a GitHub runner's default shell), its `env:` filled
    from `context` ({"secrets": {...}, "vars": {...}}) and the runner's temporary folder;
    what it writes to $GITHUB_OUTPUT is in runner_temp/../output."""
    assert "${{" not in found["run"]  # the script reads its values from the environment only
    env = {key: expand(value, context, runner_temp) for key, value in found.get("env", {}).items()}
    base = {key: value for key, value in os.environ.items() if not key.startswith("GIT_") and key != "XDG_CACHE_HOME"}
    path = f"{Path(sys.executable).parent}{os.pathsep}{base['PATH']}"  # `journal` as pip installed it
    script = runner_temp.parent / "step.sh"
    script.write_text(found["run"])
    return subprocess.run(
        ["bash", "-e", str(script)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **base,
            "HOME": str(home),
            "RUNNER_TEMP": str(runner_temp),
            "PATH": path,
            "GITHUB_OUTPUT": str(runner_temp.parent / "output"),
            **env,
        },
    )


KEY_HOME = "${{ runner.temp }}/cache"
"""XDG_CACHE_HOME of the step that builds: the build cache's key in the runner's own folder."""


def assert_the_build_cache_is_kept(steps: list[dict], builder: str) -> None:
    """journal's version is read before actions/cache, which keeps .journal-cache and the
    key's folder under a key of that version and the run (restoring the newest of the
    version's), before the step that builds; that step finds the key there."""
    names = [found.get("name", found.get("run", found.get("uses"))) for found in steps]
    version = step(steps, "Read journal's version")
    assert version["id"] == "journal"
    assert version["run"] == 'echo "version=$(journal --version | cut -d \' \' -f 2)" >> "$GITHUB_OUTPUT"'
    cache = step(steps, "Restore the build cache")
    assert cache["uses"] == "actions/cache@v4"
    assert cache["with"] == {
        "path": f".journal-cache\n{KEY_HOME}/networking-journal\n",
        "key": "journal-cache-${{ steps.journal.outputs.version }}-${{ github.run_id }}",
        "restore-keys": "journal-cache-${{ steps.journal.outputs.version }}-",
    }
    assert names.index("Read journal's version") < names.index("Restore the build cache") < names.index(builder)
    assert step(steps, builder)["env"]["XDG_CACHE_HOME"] == KEY_HOME


def carry_over(steps: list[dict], runner_temp: Path, next_temp: Path) -> None:
    """What actions/cache brings to the next run's fresh runner from the runner's temporary
    folder (the key's folder); .journal-cache, the other path it keeps, stays in the checkout here."""
    for listed in step(steps, "Restore the build cache")["with"]["path"].split("\n"):
        if listed.startswith("${{ runner.temp }}"):
            shutil.copytree(expand(listed, {}, runner_temp), expand(listed, {}, next_temp))


@pytest.fixture
def free_journal(cli, tmp_path):
    root = tmp_path / "notes"
    result = cli("init", str(root), "--today", "2026-11-23")  # --workflow free is the default
    assert result.returncode == 0, result.stderr
    git("init", "--quiet", "-b", "main", cwd=root)
    git(
        "-c",
        "user.name=Owner",
        "-c",
        "user.email=owner@example.org",
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        "notes",
        cwd=root,
    )
    home, runner_temp = tmp_path / "home", tmp_path / "runner" / "temp"
    home.mkdir()
    runner_temp.mkdir(parents=True)
    return root, home, runner_temp


def deploy_key(tmp_path: Path) -> str:
    """A fresh private key as a secret holds it: pasted without its final newline."""
    key = tmp_path / "made" / "deploy"
    key.parent.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy", "-f", str(key)], check=True)
    return key.read_text().rstrip("\n")


def test_the_free_workflow_installs_the_package_by_name_and_needs_only_read_access(free_journal):
    root, _, _ = free_journal
    workflow = yaml.safe_load((root / ".github/workflows/publish.yml").read_text())
    assert workflow["permissions"] == {"contents": "read"}
    assert "push" in workflow[True] and workflow[True]["schedule"][0]["cron"]  # YAML 1.1 reads 'on' as true
    steps = steps_of(root)
    used = [found["uses"].split("@")[0] for found in steps if "uses" in found]
    assert used == ["actions/checkout", "actions/setup-python", "actions/cache"]
    assert steps[0]["with"] == {"persist-credentials": False}
    assert_the_build_cache_is_kept(steps, "Publish the encrypted site")
    install = next(found for found in steps if "pip install" in found.get("run", ""))
    assert install["run"] == f'pip install "${{JOURNAL_PACKAGE:-networking-journal=={__version__}}}"'
    assert install["env"] == {"JOURNAL_PACKAGE": "${{ vars.JOURNAL_PACKAGE }}"}
    # The deploy key and the passphrase are given to different steps: journal never sees the key.
    assert step(steps, "Install the deploy key")["env"] == {"SITE_DEPLOY_KEY": "${{ secrets.SITE_DEPLOY_KEY }}"}
    assert step(steps, "Publish the encrypted site")["env"] == {
        "JOURNAL_PASSPHRASE": "${{ secrets.JOURNAL_PASSPHRASE }}",
        "SITE_REPOSITORY": "${{ vars.SITE_REPOSITORY }}",
        "XDG_CACHE_HOME": KEY_HOME,
    }


def test_the_free_workflow_pushes_the_encrypted_site_to_the_site_repository(free_journal, tmp_path):
    root, home, runner_temp = free_journal
    site_repository = tmp_path / "my-journal-site.git"
    git("init", "--quiet", "--bare", str(site_repository), cwd=tmp_path)
    key = deploy_key(tmp_path)
    context = {
        "secrets": {"JOURNAL_PASSPHRASE": PASSPHRASE, "SITE_DEPLOY_KEY": key},
        "vars": {"SITE_REPOSITORY": str(site_repository)},
    }
    steps = steps_of(root)
    before = git("for-each-ref", cwd=root) + git("status", "--porcelain", cwd=root)

    installed = run_step(step(steps, "Install the deploy key"), context, root, home, runner_temp)
    assert installed.returncode == 0, installed.stderr
    key_file = runner_temp / "site-deploy-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    public = subprocess.run(
        ["ssh-keygen", "-y", "-f", str(key_file)], capture_output=True, text=True, check=True
    ).stdout
    assert public.split()[:2] == (tmp_path / "made/deploy.pub").read_text().split()[:2]  # ssh reads the key as written
    fingerprint = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(home / ".ssh/known_hosts")], capture_output=True, text=True, check=True
    ).stdout
    assert fingerprint.split()[1:] == [GITHUB_ED25519, "github.com", "(ED25519)"]
    ssh_command = subprocess.run(
        ["git", "config", "--global", "core.sshCommand"],
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert ssh_command == f"ssh -i '{key_file}' -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
    if shutil.which("ssh"):  # how ssh reads that command line, without connecting
        resolved = subprocess.run(
            [*shlex.split(ssh_command), "-G", "github.com"],
            env={**os.environ, "HOME": str(home)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        assert f"identityfile {key_file}" in resolved and "stricthostkeychecking true" in resolved

    published = run_step(step(steps, "Publish the encrypted site"), context, root, home, runner_temp)
    assert published.returncode == 0, published.stderr
    assert published.stdout.startswith(f"published 14 files to branch gh-pages of {site_repository} (commit ")
    assert git("rev-list", "--count", "gh-pages", cwd=site_repository).strip() == "1"
    checkout = tmp_path / "site"
    git("clone", "--quiet", "--branch", "gh-pages", str(site_repository), str(checkout), cwd=tmp_path)
    shutil.rmtree(checkout / ".git")
    files = {path.relative_to(checkout).as_posix() for path in checkout.rglob("*") if path.is_file()}
    assert {".nojekyll", "index.html", "style.css", "unlock.js", "search.js", "search-index.js"} <= files
    assert not any(b"Sam Example" in (checkout / name).read_bytes() for name in files)
    pages = decrypt_site(checkout, PASSPHRASE)
    assert any(b"Sam Example" in page for page in pages.values())
    assert git("for-each-ref", cwd=root) + git("status", "--porcelain", cwd=root) == before


def test_the_free_workflow_stops_with_a_message_when_a_setting_is_missing(free_journal, tmp_path):
    root, home, runner_temp = free_journal
    steps = steps_of(root)
    context = {"secrets": {"JOURNAL_PASSPHRASE": PASSPHRASE}, "vars": {}}
    missing_key = run_step(step(steps, "Install the deploy key"), context, root, home, runner_temp)
    assert missing_key.returncode == 1
    assert missing_key.stderr.endswith("SITE_DEPLOY_KEY: add the secret SITE_DEPLOY_KEY (see the top of this file)\n")
    missing_site = run_step(step(steps, "Publish the encrypted site"), context, root, home, runner_temp)
    assert missing_site.returncode == 1
    assert missing_site.stderr.endswith(
        "SITE_REPOSITORY: add the variable SITE_REPOSITORY (see the top of this file)\n"
    )
    assert git("for-each-ref", "refs/heads/gh-pages", cwd=root) == ""


def test_the_pages_workflow_deploys_with_the_official_pages_actions(cli, tmp_path):
    assert cli("init", str(tmp_path), "--today", "2026-11-23", "--workflow", "pages").returncode == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/publish.yml").read_text())
    triggers = workflow[True]
    assert "push" in triggers and triggers["schedule"][0]["cron"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = steps_of(tmp_path)
    used = [found["uses"].split("@")[0] for found in steps if "uses" in found]
    assert used == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    install = next(found for found in steps if "pip install" in found.get("run", ""))
    assert install["run"] == f'pip install "${{JOURNAL_PACKAGE:-networking-journal=={__version__}}}"'
    assert install["env"] == {"JOURNAL_PACKAGE": "${{ vars.JOURNAL_PACKAGE }}"}
    build = next(found for found in steps if "journal build" in found.get("run", ""))
    assert build["run"] == "journal build --publish --out _site"
    assert build["env"] == {"JOURNAL_PASSPHRASE": "${{ secrets.JOURNAL_PASSPHRASE }}", "XDG_CACHE_HOME": KEY_HOME}
    assert_the_build_cache_is_kept(steps, "Build the encrypted site")


def test_an_unknown_workflow_is_a_usage_error(cli, tmp_path):
    result = cli("init", str(tmp_path / "mine"), "--workflow", "paid")
    assert result.returncode == 2
    assert "argument --workflow: invalid choice: 'paid' (choose from " in result.stderr
    assert not (tmp_path / "mine").exists()


def run_on_a_fresh_runner(
    steps: list[dict], name: str, context: dict, root: Path, runner: Path, carried_from: Path | None
) -> dict[str, tuple[int, int]]:
    """The named step on a new runner (its own home and temporary folder under `runner`), with
    what actions/cache carries from the run whose temporary folder was `carried_from`; then
    {cache file: (inode, mtime)}, to tell which files the run wrote."""
    home, temp = runner / "home", runner / "temp"
    home.mkdir(parents=True)
    temp.mkdir()
    if carried_from is not None:
        carry_over(steps, carried_from, temp)
    ran = run_step(step(steps, name), context, root, home, temp)
    assert ran.returncode == 0, ran.stderr
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in (root / ".journal-cache").iterdir()}


def test_the_free_workflow_keeps_the_build_cache_between_runs(free_journal, tmp_path):
    from journal import __version__

    root, home, runner_temp = free_journal
    site_repository = tmp_path / "my-journal-site.git"
    git("init", "--quiet", "--bare", str(site_repository), cwd=tmp_path)
    context = {"secrets": {"JOURNAL_PASSPHRASE": PASSPHRASE}, "vars": {"SITE_REPOSITORY": str(site_repository)}}
    steps = steps_of(root)
    version = run_step(step(steps, "Read journal's version"), context, root, home, runner_temp)
    assert version.returncode == 0, version.stderr
    assert (runner_temp.parent / "output").read_text() == f"version={__version__}\n"

    publish = "Publish the encrypted site"
    first = run_on_a_fresh_runner(steps, publish, context, root, tmp_path / "first", None)
    assert (tmp_path / "first/temp/cache/networking-journal/cache-key").is_file()
    assert "markdown-publish.json" in first
    # The key came along, so the cache verified and held every body: nothing new to write.
    second = run_on_a_fresh_runner(steps, publish, context, root, tmp_path / "second", tmp_path / "first/temp")
    assert second["markdown-publish.json"] == first["markdown-publish.json"]
    assert second["results.json"] == first["results.json"]  # the notes were not parsed again either
    # Without the key, the same files are an empty cache: everything rendered and written again.
    third = run_on_a_fresh_runner(steps, publish, context, root, tmp_path / "third", None)
    assert third["markdown-publish.json"] != first["markdown-publish.json"]


def test_the_pages_workflow_builds_warm_on_the_next_run(cli, tmp_path):
    root = tmp_path / "notes"
    assert cli("init", str(root), "--today", "2026-11-23", "--workflow", "pages").returncode == 0
    steps = steps_of(root)
    context = {"secrets": {"JOURNAL_PASSPHRASE": PASSPHRASE}, "vars": {}}
    build = "Build the encrypted site"
    first = run_on_a_fresh_runner(steps, build, context, root, tmp_path / "first", None)
    pages = decrypt_site(root / "_site", PASSPHRASE)
    assert {"results.json", "markdown-publish.json"} <= first.keys() and "last-build.json" not in first
    second = run_on_a_fresh_runner(steps, build, context, root, tmp_path / "second", tmp_path / "first/temp")
    assert second == first  # nothing parsed or rendered: no cache file written again
    assert pages and decrypt_site(root / "_site", PASSPHRASE) == pages  # sealed afresh, the same pages inside
