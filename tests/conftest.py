from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_35dbd2b867d2ec31.txt"
CMEEE = ROOT.parent / "shared" / "corpora" / "cmeee"
_CACHE: list[str] = []


def pytest_configure(config):
    """medclaim's disk cache (``pipeline.cache``) goes to a folder of the test run's own, not the user's."""
    if "MEDCLAIM_CACHE" not in os.environ:
        _CACHE.append(tempfile.mkdtemp(prefix="medclaim-cache-"))
        os.environ["MEDCLAIM_CACHE"] = _CACHE[0]


def pytest_unconfigure(config):
    for folder in _CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def auditor():
    from pipeline import Auditor

    return Auditor()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text("utf-8")


@pytest.fixture(scope="session")
def seed_record(auditor):
    from pipeline.ingest import read_file

    (document,) = list(read_file(SEED, SEED.name))
    return auditor.audit_document(document)


@pytest.fixture(scope="session")
def validator():
    import jsonschema

    from pipeline.resources import result_schema

    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid_record(record: dict, validator) -> None:
    errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    text = record["text"]
    for key in ("sentences", "tokens", "entities", "numbers", "claims", "flags"):
        for span in record.get(key, []):
            assert 0 <= span["start"] <= span["end"] <= len(text), (key, span)
            if "text" in span:
                assert text[span["start"]:span["end"]] == span["text"], (key, span)


REAL_ARTICLES = ROOT.parent / "shared" / "corpora" / "real-articles" / "articles.jsonl"


@pytest.fixture(scope="session")
def real_articles() -> list[dict]:
    """The real-articles corpus from ../shared (not part of the project); tests using it skip without it."""
    import json

    if not REAL_ARTICLES.exists():
        pytest.skip(f"{REAL_ARTICLES} is missing")
    with REAL_ARTICLES.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
