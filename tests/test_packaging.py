"""The wheel: built without setuptools warnings, installed (not editable) into a fresh virtual
environment, it audits the seed from a folder outside the checkout with its shipped rules and models.

No network: the build uses this environment's setuptools (``--no-build-isolation``) and the fresh
environment reaches the dependencies already installed here through a ``.pth`` file (the wheel itself
is installed with ``--no-deps``), so what is tested is the wheel's own content.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WARNINGS = ("SetuptoolsDeprecationWarning", "is absent from the `packages` configuration", "DeprecationWarning")


@pytest.mark.slow
def test_the_wheel_builds_cleanly_installs_and_audits(tmp_path):
    src = tmp_path / "src"  # a copy, so that the build's own folders (build/, *.egg-info) stay out of the checkout
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__",
                                                            "medclaim-out", "out", ".pytest_cache"))
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                            "-w", str(dist), "-v"], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    log = built.stdout + built.stderr
    assert not [w for w in WARNINGS if w in log], [line for line in log.splitlines() if "arning" in line][:5]
    wheel = next(dist.glob("medclaim-*.whl"))
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for part in ("weights.npy", "trees.npy", "reader.npz", "meta.json"):  # every file the shipped detector reads
        assert f"pipeline/models/percent-zh/{part}" in names, part

    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    fresh_python = env_dir / "bin" / "python"
    purelib = Path(subprocess.run([str(fresh_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")  # dependencies, not medclaim
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(fresh_python), "install", "--no-deps",
                                "--no-index", str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-2000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "seeds" / "000_35dbd2b867d2ec31.txt", work / "article.txt")
    run = subprocess.run([str(env_dir / "bin" / "medclaim"), "audit", "article.txt", "--no-model", "--format", "jsonl",
                          "--fail-on", "never", "-q"], cwd=work, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    codes = {f["code"] for f in json.loads(run.stdout)["flags"]}
    assert {"AdLaw.Advertorial", "Numbers.PercentLost", "AdLaw.Absolute", "Units.AnalyteUnit"} <= codes
    where = subprocess.run([str(fresh_python), "-c", "import pipeline; print(pipeline.__file__)"], cwd=work,
                           capture_output=True, text=True, check=True).stdout
    assert str(purelib) in where  # the wheel's copy, not the checkout
