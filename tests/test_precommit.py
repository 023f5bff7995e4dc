"""The pre-commit hooks: the manifest validates, and `pre-commit try-repo` runs medclaim on the
changed articles of a repository made in a temporary folder, from a local clone (no network)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GIT = ["git", "-c", "user.email=test@example.invalid", "-c", "user.name=test", "-c", "init.defaultBranch=main"]


def _precommit() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit")
    return [sys.executable, "-m", "pre_commit"]


def test_the_hook_manifest_is_valid():
    assert subprocess.run([*_precommit(), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")]).returncode == 0


@pytest.mark.slow
def test_try_repo_audits_the_changed_articles(tmp_path):
    pre_commit = _precommit()
    hooks = tmp_path / "medclaim-hooks"  # a local repository holding the hook manifest, as a clone would
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "hooks"]):
        subprocess.run([*GIT, *args], cwd=hooks, check=True)
    articles = tmp_path / "articles"
    articles.mkdir()
    subprocess.run([*GIT, "init", "-q"], cwd=articles, check=True)
    shutil.copy(ROOT / "seeds" / "000_35dbd2b867d2ec31.txt", articles / "nk.txt")
    (articles / "plain.md").write_text("国家癌症中心2024年发布的数据显示，2022年我国新发癌症病例约482万例。\n", "utf-8")
    subprocess.run([*GIT, "add", "."], cwd=articles, check=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def run(*files):
        return subprocess.run([*pre_commit, "try-repo", str(hooks), "medclaim-system", "--files", *files],
                              cwd=articles, env=env, capture_output=True, text=True)

    flagged = run("nk.txt")
    assert flagged.returncode == 1, flagged.stdout[-2000:]
    assert "medclaim audit" in flagged.stdout and "unit_implausible" in flagged.stdout  # the seed's mmol/L error
    clean = run("plain.md")
    assert clean.returncode == 0, clean.stdout[-2000:]
