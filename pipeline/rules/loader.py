"""Rule packs from folders, and medclaim's configuration file.

A pack is a folder of ``Rule.yml`` files; the rule id is ``Pack.Rule``. The built-in packs live in
``seeds/rules/``. ``--rules DIR`` adds a folder of packs (or one pack folder). Rules are switched off
with ``--disable Pack.Rule`` (or ``--disable Pack`` for a whole pack) or in the configuration:
``medclaim.toml`` or the ``[tool.medclaim]`` table of ``pyproject.toml``:

    rules = ["house-rules"]       # extra rule folders, relative to the file
    disable = ["AdLaw.Absolute"]
    lang = "en"
    fail_on = "warning"
    model = "models/my-tagger"    # a trained tagger (medclaim train) to run beside the lexicon
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..resources import load_yaml, seed_path
from .model import Rule, RuleError

CONFIG_KEYS = {"rules", "disable", "lang", "fail_on", "model"}


@dataclass
class Config:
    rules: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    lang: str | None = None
    fail_on: str | None = None
    model: str | None = None
    path: str | None = None


def load_config(path: str | Path | None = None, cwd: str | Path = ".") -> Config:
    """The configuration in ``path``, else ``medclaim.toml`` or ``pyproject.toml`` in ``cwd``."""
    candidates = [Path(path)] if path else [Path(cwd) / "medclaim.toml", Path(cwd) / "pyproject.toml"]
    for file in candidates:
        if not file.is_file():
            if path:
                raise RuleError(f"{file}: configuration file not found")
            continue
        try:
            data = tomllib.loads(file.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RuleError(f"{file}: invalid TOML: {exc}") from None
        if file.name == "pyproject.toml":
            data = data.get("tool", {}).get("medclaim")
            if data is None:
                continue
        unknown = set(data) - CONFIG_KEYS
        if unknown:
            raise RuleError(f"{file}: unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(CONFIG_KEYS))})")
        for key in ("rules", "disable"):
            if not isinstance(data.get(key, []), list):
                raise RuleError(f"{file}: key '{key}' must be a list of strings")
        if data.get("lang") not in (None, "zh", "en"):
            raise RuleError(f"{file}: key 'lang' must be zh or en")
        base = file.parent
        model = data.get("model")
        if model is not None and not isinstance(model, str):
            raise RuleError(f"{file}: key 'model' must be the path of a trained tagger folder")
        return Config(rules=[str((base / r)) for r in data.get("rules", [])], disable=list(data.get("disable", [])),
                      lang=data.get("lang"), fail_on=data.get("fail_on"),
                      model=str(base / model) if model else None, path=str(file))
    return Config()


def _pack_files(root) -> list[tuple[str, object]]:
    """(pack name, file node) for every rule file under a folder of packs."""
    out = []
    for pack in sorted(root.iterdir(), key=lambda n: n.name):
        if pack.is_dir() and not pack.name.startswith((".", "_")):
            out += [(pack.name, f) for f in sorted(pack.iterdir(), key=lambda n: n.name) if f.name.endswith(".yml")]
    return out


def _load_file(pack: str, node, shown: str) -> Rule:
    try:
        data = load_yaml(node.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{shown}: invalid YAML: {str(exc).splitlines()[0]}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{shown}: cannot read: {exc}") from None
    return Rule.from_dict(f"{pack}.{node.name[:-4]}", data, shown)


def load_rules(extra_dirs: list[str] = (), disable: list[str] = (), builtin: bool = True) -> list[Rule]:
    """Built-in packs, then user folders (a rule with the same id replaces the built-in one)."""
    rules: dict[str, Rule] = {}
    if builtin:
        for pack, node in _pack_files(seed_path("rules")):
            rule = _load_file(pack, node, f"rules/{pack}/{node.name}")
            rules[rule.id] = rule
    for folder in extra_dirs:
        root = Path(folder)
        if not root.is_dir():
            raise RuleError(f"{folder}: not a folder of rule packs")
        files = _pack_files(root)
        if any(p.suffix == ".yml" for p in root.iterdir()):
            files = [(root.name, f) for f in sorted(root.glob("*.yml"))]
        for pack, node in files:
            rule = _load_file(pack, node, str(node))
            rules[rule.id] = rule
    from ..checks.codes import CHECK_CODES, CHECK_PACKS

    known_packs = {r.id.split(".")[0] for r in rules.values()} | CHECK_PACKS
    for item in disable:
        if item not in rules and item not in known_packs and item not in CHECK_CODES:
            raise RuleError(f"--disable {item}: no such rule, check or pack (see `medclaim rules list`)")
    return [r for r in rules.values() if r.id not in disable and r.id.split(".")[0] not in disable]
