"""A disk cache for what medclaim builds from its dictionaries at start-up (automata, frequency
tables), so that a second process loads in milliseconds what the first built in a second.

An entry's key is a hash of everything it is built from: medclaim's version, the source of the
modules that build it, and the bytes of the input files, so a changed dictionary or a changed
builder never reads a stale entry. Entries live in ``$MEDCLAIM_CACHE``, else
``$XDG_CACHE_HOME/medclaim``, else ``~/.cache/medclaim``; ``MEDCLAIM_CACHE=off`` turns the cache
off. A folder that cannot be written, or an entry that cannot be read, only means building again.
Entries are pickles: the folder must be the user's own, as for any cache of Python objects.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")
OFF = {"off", "0", "no", "false", ""}


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    value = os.environ.get("MEDCLAIM_CACHE")
    if value is not None:
        return None if value.strip().lower() in OFF else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medclaim"


def key_of(name: str, data: Iterable[bytes | str], code: Iterable[ModuleType] = ()) -> str:
    from . import __version__

    h = hashlib.sha256(f"{name}\0{__version__}\0{pickle.HIGHEST_PROTOCOL}".encode())
    for module in code:
        h.update(Path(module.__file__).read_bytes())
    for part in data:
        h.update(b"\0")
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
    return h.hexdigest()[:24]


def cached(name: str, data: Iterable[bytes | str], build: Callable[[], T], code: Iterable[ModuleType] = ()) -> T:
    """``build()``, or what an earlier call with the same ``name``, ``data`` and ``code`` built."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key_of(name, data, code)}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # none yet, or a truncated or foreign entry: build it (again)
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # whole entries only: a reader never sees a half-written file
        except BaseException:
            os.unlink(tmp)
            raise
        for old in folder.glob(f"{name}-*.pickle"):  # entries of earlier inputs are never read again
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
