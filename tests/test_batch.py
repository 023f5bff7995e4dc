"""Batch auditing with worker processes: same records as one process, time limits, crashed workers."""
import pytest

from pipeline.batch import AuditorSpec, audit_stream
from pipeline.document import Document

TEXTS = ["疾病控制率达89.3。", "本品是最好的药，根治糖尿病。", "今天天气不错。", "有效率130%。", "服用阿司匹林三个月。",
         "研究显示，总生存期延长了4个月。", "", "患者52例，其中男性30例。"]


def docs(texts):
    return [Document(id=f"d{i}.txt", text=t, sha256=str(i)) for i, t in enumerate(texts)]


def test_two_workers_give_the_records_of_one_process_in_order():
    spec = AuditorSpec(model=None)
    one = list(audit_stream(docs(TEXTS), spec, jobs=1))
    two = list(audit_stream(docs(TEXTS), spec, jobs=2))
    assert two == one and [r["id"] for r in two] == [f"d{i}.txt" for i in range(len(TEXTS))]
    unordered = list(audit_stream(docs(TEXTS), spec, jobs=2, ordered=False))
    assert sorted(unordered, key=lambda r: r["id"]) == sorted(one, key=lambda r: r["id"])


@pytest.mark.slow
def test_timeout_and_crash_give_error_records_and_the_batch_goes_on():
    texts = ["疾病控制率达89.3。", "我要睡很久。", "有效率130%。", "这里会崩溃。", "根治糖尿病。"]
    spec = AuditorSpec(factory="batch_helpers:CueAuditor")
    records = list(audit_stream(docs(texts), spec, jobs=2, doc_timeout=5))
    assert [r["id"] for r in records] == [f"d{i}.txt" for i in range(len(texts))]
    assert "timed out after 5 s" in records[1]["errors"][0] and records[1]["text"] == texts[1]
    assert "worker auditing it died (exit code 3)" in records[3]["errors"][0]
    reference = list(audit_stream(docs([texts[0], texts[2], texts[4]]), AuditorSpec(model=None)))
    assert [records[0], records[2], records[4]] == [dict(r, id=f"d{i}.txt", source={"sha256": str(i)})
                                                     for r, i in zip(reference, (0, 2, 4))]


def test_chunks_share_the_taggers_passes_and_give_the_same_records(monkeypatch):
    """With the tagger, documents are tagged a chunk at a time (one pass over all their sentences);
    the records equal those of auditing each document alone, duplicates and empty texts included."""
    pytest.importorskip("torch")
    from pipeline import Auditor
    from pipeline.tagger import default_model_dir

    if default_model_dir() is None:
        pytest.skip("this install ships no default model")
    auditor = Auditor()
    texts = TEXTS + ["格菲妥单抗联合化疗治疗弥漫性大B细胞淋巴瘤，客观缓解率达80.1。", TEXTS[0], "x" * 20]
    alone = [auditor.audit_document(d) for d in docs(texts)]
    tagger = auditor.nlp.get_pipe("medclaim_tagger")
    passes = []
    original = tagger.find_many
    monkeypatch.setattr(tagger, "find_many", lambda items: passes.append(len(items)) or original(items))
    together = list(auditor.audit_documents(docs(texts), chunk_chars=60))

    def scores(records):  # another batch shape can move a model score in its last rounded digit
        out = []
        for r in records:
            out.append([e.pop("score", None) for e in r["entities"]])
        return out

    alone_scores, together_scores = scores(alone), scores(together)
    assert together == alone
    assert all(abs(a - b) <= 2e-4 for x, y in zip(alone_scores, together_scores) for a, b in zip(x, y) if a is not None)
    # two chunks of 60+ characters, each tagged in one pass; the empty text is never tagged
    assert len(passes) == 2 and sum(passes) == len([t for t in texts if t])
    assert not tagger._prepared  # nothing kept after the chunk


@pytest.mark.slow
def test_a_chunk_whose_worker_dies_is_audited_again_document_by_document():
    texts = ["疾病控制率达89.3。", "有效率130%。", "这里会崩溃。", "根治糖尿病。"]
    # without a time limit, workers take chunks of documents
    spec = AuditorSpec(factory="batch_helpers:CueAuditor")
    records = list(audit_stream(docs(texts), spec, jobs=2))
    assert [r["id"] for r in records] == [f"d{i}.txt" for i in range(len(texts))]
    assert "worker auditing it died (exit code 3)" in records[2]["errors"][0]
    assert all(not r["errors"] for i, r in enumerate(records) if i != 2)
    assert records[1]["flags"] and records[3]["flags"]


def test_cli_jobs_gives_the_same_results(tmp_path):
    import io
    import json

    from pipeline.cli import run_audit

    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"{i}.txt").write_text(text or " ", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    outputs = []
    for jobs in (1, 2):
        out, err = io.StringIO(), io.StringIO()
        code = run_audit([str(folder)], fmt="jsonl", no_model=True, fail_on="never", quiet=True, stdout=out,
                         stderr=err, jobs=jobs, doc_timeout=30 if jobs == 2 else None)
        outputs.append((code, out.getvalue(), err.getvalue()))
    assert outputs[0] == outputs[1]
    records = [json.loads(line) for line in outputs[0][1].splitlines()]
    assert len(records) == len(TEXTS) + 1 and outputs[0][0] == 2  # the binary file failed, the rest went on


def _corpus(folder, n=40):
    from conftest import SEED

    seed = SEED.read_text("utf-8")
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(f"第{i}篇。" + seed[(i * 37) % 1500:], encoding="utf-8")
    return folder


def _audit_cmd(folder, out, *extra):
    import sys

    return [sys.executable, "-m", "pipeline.cli", "audit", str(folder), "-o", str(out), "--no-model", "-q",
            "--fail-on", "never", "--format", "jsonl", *extra]


@pytest.mark.slow
@pytest.mark.parametrize("kill_after,jobs", [(3, "1"), (17, "2")])
def test_killed_then_resumed_equals_uninterrupted(tmp_path, kill_after, jobs):
    import json
    import signal
    import subprocess
    import time

    from conftest import ROOT

    folder = _corpus(tmp_path / "in")
    subprocess.run(_audit_cmd(folder, tmp_path / "whole"), cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    expected = (tmp_path / "whole" / "results.jsonl").read_text("utf-8").splitlines()

    out = tmp_path / "cut"
    proc = subprocess.Popen(_audit_cmd(folder, out, "--jobs", jobs), cwd=ROOT, stdout=subprocess.DEVNULL)
    partial = out / ".results.jsonl.partial"
    deadline = time.time() + 120
    while time.time() < deadline:
        if partial.exists() and partial.read_bytes().count(b"\n") >= kill_after:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "results.jsonl").exists()
    with open(partial, "ab") as fh:  # as if the kill had cut a line in half
        fh.write(b'{"schema":"medclaim/result@1","id":"0')
    refused = subprocess.run(_audit_cmd(folder, out), cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 2 and "--resume" in refused.stderr  # never overwritten silently
    subprocess.run(_audit_cmd(folder, out, "--resume", "--jobs", jobs), cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    got = (out / "results.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(x) for x in got] == [json.loads(x) for x in expected]
    assert not partial.exists() and (out / "index.html").exists()


def test_resume_refuses_a_file_broken_in_the_middle(tmp_path):
    import io

    from pipeline.cli import run_audit

    folder = _corpus(tmp_path / "in", n=2)
    out = tmp_path / "out"
    out.mkdir()
    good = '{"id": "a", "text": "", "flags": [], "errors": []}\n'
    (out / "results.jsonl").write_text(good + "{broken\n" + good, encoding="utf-8")
    err = io.StringIO()
    code = run_audit([str(folder)], out_dir=str(out), no_model=True, resume=True, quiet=True, stdout=io.StringIO(),
                     stderr=err)
    assert code == 2 and "results.jsonl:2: not a JSON record" in err.getvalue()
    assert (out / "results.jsonl").read_text("utf-8").startswith(good + "{broken")  # left as it was
    assert sorted(p.name for p in out.iterdir()) == ["results.jsonl"]


def test_resume_reads_a_last_line_cut_inside_a_character(tmp_path):
    """A kill can cut the last record inside a multi-byte character: that line is dropped like any cut
    line; bytes that are not UTF-8 on a complete line are refused with the file and line named."""
    from pipeline.batch import completed_records

    good = '{"id": "甲", "text": "有效率", "flags": [], "errors": []}\n'
    path = tmp_path / "results.jsonl"
    path.write_bytes(good.encode("utf-8") + '{"id": "乙", "text": "有效'.encode("utf-8")[:-1])
    assert [r["id"] for r in completed_records(path)] == ["甲"]
    path.write_bytes(good.encode("utf-8") + b'{"id": "\xe4\xb9"}\n' + good.encode("utf-8"))
    with pytest.raises(ValueError, match="results.jsonl:2: not a JSON record"):
        list(completed_records(path))


@pytest.mark.slow
def test_dask_engine_gives_the_local_records():
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from pipeline.batch import audit_stream_dask

    spec = AuditorSpec(model=None)
    local = list(audit_stream(docs(TEXTS * 3), spec, jobs=1))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        remote = list(audit_stream_dask(docs(TEXTS * 3), spec, scheduler=cluster.scheduler_address, partition_chars=40))
        unordered = list(audit_stream_dask(docs(TEXTS * 3), spec, scheduler=cluster.scheduler_address, partition_chars=40,
                                           ordered=False))
    assert remote == local
    assert sorted(unordered, key=lambda r: r["id"]) == sorted(local, key=lambda r: r["id"])


@pytest.mark.slow
def test_cli_dask_engine_matches_local(tmp_path):
    pytest.importorskip("distributed")
    import io

    from pipeline.cli import run_audit

    folder = _corpus(tmp_path / "in", n=6)
    outs = []
    for engine in ("local", "dask"):
        out = io.StringIO()
        code = run_audit([str(folder)], fmt="jsonl", no_model=True, fail_on="never", quiet=True, stdout=out,
                         stderr=io.StringIO(), engine=engine, jobs=2, out_dir=str(tmp_path / engine))
        outs.append((code, out.getvalue(), (tmp_path / engine / "results.jsonl").read_text("utf-8")))
    assert outs[0] == outs[1]


def test_an_over_long_document_gets_a_clear_error():
    from pipeline import Auditor
    from pipeline.audit import MAX_CHARS

    record = Auditor(model=None).audit_text("甲" * (MAX_CHARS + 1), id="dump.txt")
    assert record["errors"] == [f"dump.txt: too long to audit: {MAX_CHARS + 1:,} characters (the limit is {MAX_CHARS:,}); "
                                "split it into articles"]
    assert record["text"] and record["flags"] == []


def test_default_jobs_follow_the_cores_and_a_handful_of_documents_stays_in_process():
    from pipeline.batch import auto_jobs, worker_threads

    jobs, rest = auto_jobs(iter(docs(TEXTS * 10)), cores=4)
    assert jobs == 4 and [d.text for d in rest] == TEXTS * 10  # nothing read ahead is lost
    jobs, rest = auto_jobs(iter(docs(TEXTS[:3])), cores=4)
    assert jobs == 1 and len(list(rest)) == 3
    jobs, _ = auto_jobs(iter(docs(TEXTS * 2)), cores=4)  # 16 documents: two workers
    assert jobs == 2
    assert auto_jobs(iter([]), cores=8)[0] == 1
    assert worker_threads(2, cores=2) == 1 and worker_threads(1, cores=4) == 4 and worker_threads(8, cores=2) == 1


def test_chunks_are_cut_by_characters():
    from pipeline.document import chunks

    texts = ["甲" * 30, "乙" * 5, "丙" * 10, "丁" * 100, "", "戊" * 3]
    parts = list(chunks(docs(texts), 40))
    assert [[d.text for d in p] for p in parts] == [[texts[0], texts[1], texts[2]], [texts[3]], [texts[4], texts[5]]]
    assert list(chunks([], 40)) == []
