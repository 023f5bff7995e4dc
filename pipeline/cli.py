"""The ``medclaim`` command: thin wrappers over plain functions that tests call directly."""
from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click

from .flags import SEVERITY_RANK

EXIT_CLEAN, EXIT_FLAGGED, EXIT_FAILED = 0, 1, 2
FAIL_ON = {"error": 3, "warning": 2, "info": 1, "never": 99}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="medclaim")
def main() -> None:
    """medclaim audits claims in Chinese medical and health articles."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True,
              help="Output on stdout.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), help="Write DIR/results.jsonl.")
@click.option("--overwrite", is_flag=True, help="Replace an existing DIR/results.jsonl.")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default="error", show_default=True,
              help="Exit 1 when a flag at or above this severity is found.")
@click.option("--include", multiple=True, help="Glob of files to read inside folders (repeatable).")
@click.option("--exclude", multiple=True, help="Glob of files to skip inside folders (repeatable).")
@click.option("--text-field", default="text", show_default=True, help="JSON Lines field that holds the text.")
@click.option("--input-format", type=click.Choice(["auto", "txt", "md", "html", "jsonl"]), default="auto",
              show_default=True, help="Read inputs as this format instead of by extension.")
@click.option("--lexicon", "lexicon_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of lexicon .yml files (repeatable).")
@click.option("--tokens", is_flag=True, help="Include word segmentation in the records.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr.")
def audit(paths, fmt, out_dir, overwrite, fail_on, include, exclude, text_field, input_format, lexicon_dirs,
          tokens, quiet) -> None:
    """Audit PATHS (files, folders, or - for stdin)."""
    code = run_audit(paths, fmt=fmt, out_dir=out_dir, overwrite=overwrite, fail_on=fail_on, include=include,
                     exclude=exclude, text_field=text_field, input_format=input_format,
                     lexicon_dirs=lexicon_dirs, tokens=tokens, quiet=quiet)
    sys.exit(code)


def run_audit(paths, fmt="text", out_dir=None, overwrite=False, fail_on="error", include=(), exclude=(),
              text_field="text", input_format="auto", lexicon_dirs=(), tokens=False, quiet=False,
              stdout=None, stderr=None) -> int:
    """Audit and print; returns the exit code (0 clean, 1 flagged at ``fail_on``, 2 failure)."""
    from .audit import Auditor
    from .ingest import iter_documents
    from .lexicon import LexiconError
    from .report import render_json, render_json_line, render_text, worst_severity

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    results_path = None
    if out_dir:
        results_path = Path(out_dir) / "results.jsonl"
        if results_path.exists() and not overwrite:
            print(f"medclaim: {results_path} exists; pass --overwrite to replace it", file=stderr)
            return EXIT_FAILED
    try:
        auditor = Auditor(lexicon_dirs=lexicon_dirs, tokens=tokens)
    except LexiconError as exc:
        print(f"medclaim: {exc}", file=stderr)
        return EXIT_FAILED
    documents = iter_documents(paths, include=include, exclude=exclude, text_field=text_field,
                               input_format=input_format)
    progress = None
    if not quiet and stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="doc", file=stderr, leave=False)
    sink = None
    tmp_path = None
    if results_path:
        results_path.parent.mkdir(parents=True, exist_ok=True)
        tmp_path = results_path.with_name(f".results.jsonl.{os.getpid()}.tmp")
        sink = open(tmp_path, "w", encoding="utf-8")
    failed = flagged = 0
    counts: Counter = Counter()
    n_docs = 0
    records_for_json = []
    try:
        for document in documents:
            record = auditor.audit_document(document)
            n_docs += 1
            for err in record["errors"]:
                print(f"medclaim: {err}", file=stderr)
            if record["errors"]:
                failed += 1
            counts.update(f["severity"] for f in record["flags"])
            if worst_severity(record) >= FAIL_ON[fail_on]:
                flagged += 1
            if sink:
                sink.write(render_json_line(record) + "\n")
            if fmt == "jsonl":
                print(render_json_line(record), file=stdout)
            elif fmt == "json":
                records_for_json.append(record)
            else:
                out = render_text(record)
                if out:
                    print(out, file=stdout)
            if progress is not None:
                progress.update(1)
    finally:
        if progress is not None:
            progress.close()
        if sink:
            sink.close()
    if tmp_path:
        os.replace(tmp_path, results_path)
    if fmt == "json":
        print(render_json(records_for_json), file=stdout)
    if not quiet:
        parts = ", ".join(f"{counts[s]} {s}" for s in sorted(SEVERITY_RANK, key=SEVERITY_RANK.get, reverse=True))
        where = f"; results in {results_path}" if results_path else ""
        print(f"medclaim: {n_docs} document(s), {parts}, {failed} failed{where}", file=stderr)
    if failed:
        return EXIT_FAILED
    return EXIT_FLAGGED if flagged else EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    main()
