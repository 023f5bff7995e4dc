"""Many documents at once: worker processes that each load the pipeline once, a bounded window of
documents in flight, a time limit per document, and crashed workers replaced.

``audit_stream(documents, spec, jobs=N)`` yields one result record per document, in input order
(or as they finish, with ``ordered=False``). A document that runs past ``doc_timeout`` seconds, or
whose worker dies, gets a record with ``errors`` filled and the batch goes on. Pebble's process pool
does the process work (killing a worker on timeout and starting a new one is what
``concurrent.futures`` cannot do).
"""
from __future__ import annotations

import importlib
import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from .document import Document, chunks

WINDOW_PER_JOB = 4  # documents in flight per worker: enough to keep workers busy, bounded memory


@dataclass(frozen=True)
class AuditorSpec:
    """What a worker needs to build its Auditor (picklable). ``factory`` ("module:callable") builds
    something with ``audit_document`` instead of the Auditor, for tools that wrap it."""
    lexicon_dirs: tuple = ()
    rule_dirs: tuple = ()
    disable: tuple = ()
    lang: str = "zh"
    model: str | None = None
    tokens: bool = False
    percent_model: str | None = "default"
    factory: str | None = None
    options: dict = field(default_factory=dict)
    threads: int | None = None  # torch threads in this process (None: torch's default, all cores)

    def apply_threads(self) -> None:
        """Give this process's torch ``threads`` threads (when set and a model runs)."""
        if self.threads and self.model:
            import torch

            torch.set_num_threads(self.threads)

    def build(self):
        self.apply_threads()
        if self.factory:
            module, name = self.factory.split(":")
            return getattr(importlib.import_module(module), name)(**self.options)
        from .audit import Auditor

        return Auditor(lexicon_dirs=list(self.lexicon_dirs), rule_dirs=list(self.rule_dirs), disable=list(self.disable),
                       lang=self.lang, model=self.model, tokens=self.tokens, percent_model=self.percent_model)


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


DOCS_PER_AUTO_JOB = 8  # with the default --jobs, a worker for every 8 documents, up to the number of cores


def auto_jobs(documents: Iterable[Document], cores: int | None = None) -> tuple[int, Iterator[Document]]:
    """The default number of workers: the number of cores, fewer for a handful of documents (each
    worker loads the pipeline; a single article is audited fastest in this process). Returns the
    number and the documents, with those read ahead put back in front."""
    cores = cores or available_cores()
    it = iter(documents)
    head = list(itertools.islice(it, cores * DOCS_PER_AUTO_JOB))
    jobs = max(1, min(cores, -(-len(head) // DOCS_PER_AUTO_JOB)))
    return jobs, itertools.chain(head, it)


def worker_threads(jobs: int, cores: int | None = None) -> int:
    """torch threads per worker so that ``jobs`` workers share the cores without oversubscribing."""
    return max(1, (cores or available_cores()) // max(1, jobs))


_WORKER = None  # the auditor a worker process uses
_PRELOADED = None  # (spec, auditor) built in the parent for the workers forked from it


def _init_worker(spec: AuditorSpec) -> None:
    global _WORKER
    if _PRELOADED is not None and _PRELOADED[0] == replace(spec, threads=None):
        _WORKER = _PRELOADED[1]  # inherited through fork: only the threads are this worker's
        spec.apply_threads()
    else:
        _WORKER = spec.build()


def preload(spec: AuditorSpec) -> bool:
    """Build the auditor here before the workers start, where they are forked from this process:
    they inherit it instead of each loading it (one load, and the model, the automata and the
    dictionaries stay in pages the workers share until written). This process never runs it, so
    torch's thread pool is not started before a fork. Elsewhere (spawn) each worker loads its own."""
    global _PRELOADED
    import gc
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return False
    key = replace(spec, threads=None)
    if _PRELOADED is None or _PRELOADED[0] != key:
        _PRELOADED = None
        gc.unfreeze()
        gc.collect()
        _PRELOADED = (key, key.build())
        gc.freeze()  # keep the collector from touching (and so copying) the inherited objects
    return True


def _audit(document: Document) -> dict:
    return _WORKER.audit_document(document)


def _audit_chunk(documents: list[Document]) -> list[dict]:
    return list(audit_many(_WORKER, documents))


def audit_many(auditor, documents: Iterable[Document]) -> Iterator[dict]:
    """``auditor.audit_documents`` (chunks of documents share the tagger's passes) where it has it,
    else ``audit_document`` one by one (a factory's object)."""
    many = getattr(auditor, "audit_documents", None)
    if many is not None:
        return many(documents)
    return map(auditor.audit_document, documents)


def failed_record(document: Document, message: str) -> dict:
    """The record of a document the batch could not audit: its source, its text, and the error."""
    from .audit import empty_record

    record = empty_record(document)
    record["errors"] = list(document.errors) + [f"{document.path or document.id}: {message}"]
    return record


def audit_stream(documents: Iterable[Document], spec: AuditorSpec, jobs: int = 1, ordered: bool = True,
                 doc_timeout: float | None = None) -> Iterator[dict]:
    """Audit ``documents`` with ``jobs`` worker processes; one record per document.

    With ``jobs=1`` and no time limit everything runs in this process. Without a time limit, workers
    take chunks of documents (about ``CHUNK_CHARS // 2`` characters): fewer round trips, and the
    tagger runs a chunk's sentences in shared passes; a chunk whose worker dies is audited again
    document by document, so only the document that killed it fails. With a time limit, documents
    go one at a time, each with its own limit.
    """
    if jobs <= 1 and not doc_timeout:
        yield from audit_many(spec.build(), documents)
        return
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired, ProcessPool

    from .audit import CHUNK_CHARS

    def outcome(document: Document, future) -> dict:
        try:
            return future.result()
        except FutureTimeout:
            return failed_record(document, f"timed out after {doc_timeout:g} s (--doc-timeout)")
        except ProcessExpired as exc:
            return failed_record(document, f"the worker auditing it died (exit code {exc.exitcode})")
        except Exception as exc:  # the worker raised: one document must not stop the batch
            return failed_record(document, f"analysis failed: {exc.__class__.__name__}: {exc}")

    if spec.threads is None:
        spec = replace(spec, threads=worker_threads(jobs))
    preload(spec)
    with ProcessPool(max_workers=max(1, jobs), initializer=_init_worker, initargs=(spec,)) as pool:

        def chunk_outcome(chunk: list[Document], future) -> list[dict]:
            try:
                return future.result()
            except Exception:  # noqa: BLE001  (a worker died or raised: each document again, alone)
                again = [(d, pool.schedule(_audit, args=(d,))) for d in chunk]
                return [outcome(d, f) for d, f in again]

        def single(documents: list[Document], future) -> list[dict]:
            return [outcome(documents[0], future)]

        chunked = not doc_timeout
        if chunked:
            window = max(1, jobs) * 2
            items = ((chunk, pool.schedule(_audit_chunk, args=(chunk,))) for chunk in chunks(documents, CHUNK_CHARS // 2))
        else:
            window = max(1, jobs) * WINDOW_PER_JOB
            items = (([d], pool.schedule(_audit, args=(d,), timeout=doc_timeout)) for d in documents)
        handler = chunk_outcome if chunked else single
        pending: deque = deque()
        for item in items:
            pending.append(item)
            while len(pending) >= window:
                yield from _drain(pending, ordered, handler)
        while pending:
            yield from _drain(pending, ordered, handler)


def _drain(pending: deque, ordered: bool, outcome) -> Iterator[dict]:
    """Records for the oldest item in flight (ordered), or for every one that has finished; an item
    is ``(documents, future)`` and ``outcome`` gives its records."""
    from concurrent.futures import FIRST_COMPLETED, wait

    if ordered:
        documents, future = pending.popleft()
        yield from outcome(documents, future)
        return
    done, _ = wait([f for _, f in pending], return_when=FIRST_COMPLETED)
    for item in [p for p in pending if p[1] in done]:
        pending.remove(item)
        yield from outcome(*item)


# ---- many machines: the same batch on a Dask distributed cluster ----

PARTITION_CHARS = 64_000  # characters of documents a task on the cluster (about 25 real articles)


def _audit_partition(documents: list[Document], spec: AuditorSpec) -> list[dict]:
    """Runs on a Dask worker; the pipeline is built once a worker and kept as its state."""
    from distributed import get_worker

    worker = get_worker()
    cached = getattr(worker, "_medclaim_auditor", None)
    if cached is None or cached[0] != spec:
        threads = spec.threads or max(1, (os.cpu_count() or 1) // max(1, worker.state.nthreads))
        cached = (spec, replace(spec, threads=threads).build())
        worker._medclaim_auditor = cached
    return list(cached[1].audit_documents(documents))


def audit_stream_dask(documents: Iterable[Document], spec: AuditorSpec, scheduler: str | None = None,
                      ordered: bool = True, partition_chars: int = PARTITION_CHARS, jobs: int = 1) -> Iterator[dict]:
    """Audit on a Dask cluster (``scheduler``: its address, e.g. ``tcp://10.0.0.5:8786``; None starts a
    local cluster of ``jobs`` processes). Documents go out in partitions of about ``partition_chars``
    characters (so a task's work does not depend on how long its documents happen to be), a bounded
    number in flight; a partition whose worker dies gets error records. Per-document time limits
    are not enforced here."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        if spec.threads is None:
            spec = replace(spec, threads=worker_threads(jobs))
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        scheduler = cluster.scheduler_address
    client = Client(scheduler)
    try:
        window = max(2, 2 * len(client.scheduler_info().get("workers", {})) or 2)
        pending: deque = deque()

        def results(batch, future):
            try:
                return future.result()
            except Exception as exc:  # a worker died or the task failed: the batch goes on
                return [failed_record(d, f"the cluster could not audit it: {exc.__class__.__name__}: {exc}")
                        for d in batch]

        done_order = as_completed()
        for batch in chunks(documents, partition_chars):
            future = client.submit(_audit_partition, batch, spec, pure=False)
            pending.append((batch, future))
            done_order.add(future)
            while len(pending) >= window:
                yield from _drain_dask(pending, ordered, results, done_order)
        while pending:
            yield from _drain_dask(pending, ordered, results, done_order)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _drain_dask(pending: deque, ordered: bool, results, done_order) -> Iterator[dict]:
    if ordered:
        batch, future = pending.popleft()
        yield from results(batch, future)
        return
    future = next(done_order)
    item = next(p for p in pending if p[1] is future)
    pending.remove(item)
    yield from results(*item)


# ---- resume: records already written by an earlier run ----

PARTIAL = ".results.jsonl.partial"


def record_key(record: dict) -> tuple[str, str]:
    return record.get("id", ""), record.get("source", {}).get("sha256") or ""


def document_key(document: Document) -> tuple[str, str]:
    return document.id, document.sha256 or ""


def completed_records(path) -> Iterator[dict]:
    """The records of an earlier run's results file. A last line cut short by a kill is dropped (its
    document is audited again); a broken line anywhere else raises ValueError naming file and line."""
    import json

    broken = None
    with open(path, "rb") as fh:  # bytes: a kill can cut the last line inside a character
        for n, raw in enumerate(fh, 1):
            if broken is not None:  # a broken line that was not the last
                raise ValueError(f"{path}:{broken}: not a JSON record; cannot resume from this file")
            try:
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                record = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError):
                if raw.endswith(b"\n"):
                    raise ValueError(f"{path}:{n}: not a JSON record; cannot resume from this file") from None
                broken = n  # cut short by a kill: dropped, its document is audited again
                continue
            if not isinstance(record, dict) or not {"id", "text", "flags", "errors"} <= record.keys():
                raise ValueError(f"{path}:{n}: not a medclaim result record; cannot resume from this file")
            yield record
