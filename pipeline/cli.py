"""The ``medclaim`` command: thin wrappers over plain functions that tests call directly."""
from __future__ import annotations

import json
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
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv", "sarif"]), default="text",
              show_default=True, help="Output on stdout: linter-style text, JSON, JSON Lines, CSV (a row per flag) "
                                      "or SARIF 2.1.0.")
@click.option("--csv-bom", is_flag=True, help="With --format csv: start with a UTF-8 byte-order mark (for spreadsheets).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False),
              help="Write DIR/results.jsonl and the HTML report (DIR/index.html, docs/, assets/).")
@click.option("--overwrite", is_flag=True, help="Replace an existing results.jsonl and report in DIR.")
@click.option("--no-report", is_flag=True,
              help="With -o: write results.jsonl only (render the report later with `medclaim report`).")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default=None,
              help="Exit 1 when a flag at or above this severity is found (default error).")
@click.option("--include", multiple=True, help="Glob of files to read inside folders (repeatable).")
@click.option("--exclude", multiple=True, help="Glob of files to skip inside folders (repeatable).")
@click.option("--text-field", default="text", show_default=True, help="JSON Lines field that holds the text.")
@click.option("--input-format", type=click.Choice(["auto", "txt", "md", "html", "jsonl"]), default="auto",
              show_default=True, help="Read inputs as this format instead of by extension.")
@click.option("--lexicon", "lexicon_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of lexicon .yml files (repeatable).")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of rule packs (repeatable).")
@click.option("--disable", multiple=True, help="Switch off a rule (Pack.Rule) or a whole pack (repeatable).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of flag messages (default zh).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: medclaim.toml, or [tool.medclaim] in pyproject.toml).")
@click.option("--model", "model_dir", type=click.Path(file_okay=False),
              help="A trained tagger folder (medclaim train) to run beside the lexicon.")
@click.option("--no-model", is_flag=True, help="Lexicon and rules only, even if a model is configured.")
@click.option("--percent-model", metavar="DIR|none", default="default", show_default=True,
              help="The lost-% detector (medclaim train-percent): the shipped one, a folder, or none for the rules alone.")
@click.option("--tokens", is_flag=True, help="Include word segmentation in the records.")
@click.option("-j", "--jobs", type=click.IntRange(1),
              help="Worker processes, each loading the pipeline once (default: the number of cores, "
                   "fewer for a handful of documents; 1 audits in this process).")
@click.option("--unordered", is_flag=True, help="Write records as they finish rather than in input order.")
@click.option("--doc-timeout", type=click.FloatRange(min=0, min_open=True),
              help="Seconds one document may take; past it the document gets a record with an error.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes here; dask: a Dask distributed cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: the scheduler's address (tcp://HOST:8786); without it a local cluster of --jobs processes.")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted or earlier run in -o DIR: documents already there (same id and sha256) are skipped.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr.")
def audit(paths, fmt, out_dir, overwrite, no_report, fail_on, include, exclude, text_field, input_format, lexicon_dirs,
          rule_dirs, disable, lang, config_path, model_dir, no_model, percent_model, tokens, jobs, unordered, doc_timeout, engine,
          scheduler, resume, quiet, csv_bom) -> None:
    """Audit PATHS (files, folders, or - for stdin)."""
    code = run_audit(paths, fmt=fmt, out_dir=out_dir, overwrite=overwrite, report=not no_report, fail_on=fail_on, include=include,
                     exclude=exclude, text_field=text_field, input_format=input_format,
                     lexicon_dirs=lexicon_dirs, rule_dirs=rule_dirs, disable=disable, lang=lang,
                     config_path=config_path, model_dir=model_dir, no_model=no_model, tokens=tokens, quiet=quiet,
                     percent_model=percent_model, jobs=jobs, ordered=not unordered, doc_timeout=doc_timeout, resume=resume, engine=engine,
                     scheduler=scheduler, csv_bom=csv_bom)
    sys.exit(code)


def run_audit(paths, fmt="text", out_dir=None, overwrite=False, report=True, fail_on=None, include=(), exclude=(),
              text_field="text", input_format="auto", lexicon_dirs=(), rule_dirs=(), disable=(), lang=None,
              config_path=None, model_dir=None, no_model=False, tokens=False, quiet=False, percent_model="default",
              stdout=None,
              stderr=None, jobs=None, ordered=True, doc_timeout=None, resume=False, engine="local",
              scheduler=None, csv_bom=False) -> int:
    """Audit and print; returns the exit code (0 clean, 1 flagged at ``fail_on``, 2 failure)."""
    from .batch import PARTIAL, AuditorSpec, audit_many, audit_stream, auto_jobs, preload, audit_stream_dask, document_key, record_key
    from .lexicon import load_lexicons
    from .rules.loader import load_rules
    from .ingest import iter_documents
    from .lexicon import LexiconError
    from .rules.loader import load_config
    from .rules.model import RuleError
    from .tagger import DEFAULT, resolve_model
    from .report import render_json, render_json_line, render_text, worst_severity

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    missing = [p for p in paths if p != "-" and not Path(p).exists() and not Path(p).is_symlink()]
    if paths and len(missing) == len(paths):  # nothing to read: say so before loading the pipeline
        for p in missing:
            print(f"medclaim: {p}: no such file or folder", file=stderr)
        return EXIT_FAILED
    results_path = None
    if out_dir:
        results_path = Path(out_dir) / "results.jsonl"
        for existing in (results_path, Path(out_dir) / "index.html", Path(out_dir) / PARTIAL):
            if existing.exists() and not overwrite and not resume:
                hint = "--resume to continue that run or " if existing.name != "index.html" else ""
                print(f"medclaim: {existing} exists; pass {hint}--overwrite to replace it", file=stderr)
                return EXIT_FAILED
    try:
        config = load_config(config_path)
        fail_on = fail_on or config.fail_on or "error"
        if fail_on not in FAIL_ON:
            raise RuleError(f"{config.path}: key 'fail_on' must be one of {', '.join(FAIL_ON)}")
        model = None if no_model else (model_dir or config.model or DEFAULT)
        if model == DEFAULT and resolve_model(model) is None and not quiet:
            print("medclaim: the shipped tagger model needs the tagger extra (pip install 'medclaim[tagger]'); "
                  "auditing with the lexicon and rules alone (--no-model to silence this)", file=stderr)
        if model and model != DEFAULT and not Path(model).is_dir():
            raise RuleError(f"--model {model}: no such model folder (train one with `medclaim train`)")
        percent_model = None if percent_model in (None, "none") else percent_model
        if percent_model not in (None, "default"):
            from .checks.percent_model import load_model

            try:
                load_model(percent_model)
            except ValueError as exc:
                raise RuleError(f"--percent-model: {exc}") from None
        spec = AuditorSpec(lexicon_dirs=tuple(lexicon_dirs), rule_dirs=tuple([*config.rules, *rule_dirs]),
                           disable=tuple([*config.disable, *disable]), lang=lang or config.lang or "zh",
                           model=resolve_model(model), tokens=tokens, percent_model=percent_model)
        if engine == "dask":
            import importlib.util

            if importlib.util.find_spec("distributed") is None:
                raise RuleError("--engine dask needs Dask: pip install 'medclaim[dask]'")
        documents = iter_documents(paths, include=include, exclude=exclude, text_field=text_field,
                                   input_format=input_format)
        if jobs is None:
            jobs, documents = auto_jobs(documents)
        if engine == "local" and jobs <= 1 and not doc_timeout:
            auditor = spec.build()
        else:
            # Forked workers inherit a pipeline built here (its errors are reported like the
            # in-process one's); elsewhere workers build their own: check lexicons and rules here.
            if engine == "dask" or not preload(spec):
                load_lexicons(list(lexicon_dirs))
                load_rules(list(spec.rule_dirs), list(spec.disable))
            auditor = None
    except ImportError as exc:
        print(f"medclaim: the tagger model needs the tagger extra (pip install 'medclaim[tagger]'): {exc}; "
              f"or pass --no-model", file=stderr)
        return EXIT_FAILED
    except (LexiconError, RuleError, OSError) as exc:
        print(f"medclaim: {exc}", file=stderr)
        return EXIT_FAILED
    progress = None
    if not quiet and stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="doc", file=stderr, leave=False)
    sink = None
    partial = None
    done: set = set()
    failed = flagged = 0
    if results_path:
        results_path.parent.mkdir(parents=True, exist_ok=True)
        partial = results_path.with_name(PARTIAL)
        sink = _Results(results_path, partial, resume)
        try:
            for record in sink.copy_previous():
                done.add(record_key(record))
                failed += bool(record.get("errors"))
                flagged += worst_severity(record) >= FAIL_ON[fail_on]
        except (ValueError, OSError) as exc:
            sink.fresh.unlink(missing_ok=True)
            print(f"medclaim: {exc}", file=stderr)
            return EXIT_FAILED
        sink = sink.open()
        if done:
            documents = (d for d in documents if document_key(d) not in done)
            if not quiet:
                print(f"medclaim: resuming: {len(done)} document(s) already done", file=stderr)
    counts: Counter = Counter()
    n_docs = 0
    records_for_json = []
    csv_out = None
    if fmt == "csv":
        from .report.formats import CsvWriter

        csv_out = CsvWriter(stdout, bom=csv_bom)
    try:
        if auditor is not None:
            records = audit_many(auditor, documents)
        elif engine == "dask":
            records = audit_stream_dask(documents, spec, scheduler=scheduler, ordered=ordered, jobs=jobs)
        else:
            records = audit_stream(documents, spec, jobs=jobs, ordered=ordered, doc_timeout=doc_timeout)
        for record in records:
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
                sink.flush()  # a kill loses at most the line being written; --resume redoes it
            if fmt == "jsonl":
                print(render_json_line(record), file=stdout)
            elif fmt in ("json", "sarif"):
                records_for_json.append(record)
            elif csv_out is not None:
                csv_out.write(record)
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
    if partial:
        os.replace(partial, results_path)
        if report:
            from .report.html import read_results, write_site

            write_site(read_results(results_path), results_path.parent, total=len(done) + n_docs)
    if fmt == "json":
        print(render_json(records_for_json), file=stdout)
    elif fmt == "sarif":
        import json

        from . import __version__
        from .checks.codes import CHECK_CODES, disabled
        from .report.formats import render_sarif

        ran = load_rules(list(spec.rule_dirs), list(spec.disable))
        checks = [c for c in CHECK_CODES.values() if not disabled(c.id, spec.disable)]
        print(json.dumps(render_sarif(records_for_json, ran, checks, __version__), ensure_ascii=False, indent=2),
              file=stdout)
    if not quiet:
        parts = ", ".join(f"{counts[s]} {s}" for s in sorted(SEVERITY_RANK, key=SEVERITY_RANK.get, reverse=True))
        where = f"; results in {results_path}" if results_path else ""
        where += f", report in {results_path.parent / 'index.html'}" if results_path and report else ""
        print(f"medclaim: {n_docs} document(s), {parts}, {failed} failed{where}", file=stderr)
    if failed:
        return EXIT_FAILED
    return EXIT_FLAGGED if flagged else EXIT_CLEAN


@main.command("report")
@click.argument("results", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for index.html, docs/ and assets/.")
@click.option("--title", default="medclaim report", show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace an existing report in the folder.")
def report_command(results, out_dir, title, overwrite) -> None:
    """Render the HTML report again from a results.jsonl alone."""
    code = run_report(results, out_dir, title=title, overwrite=overwrite)
    sys.exit(code)


class _Results:
    """The partial results file of a run: with ``resume``, the records an earlier run left are
    streamed into a fresh partial file (``copy_previous()`` yields each as it is copied); ``open()`` then
    opens it for appending. The partial file replaces results.jsonl when the run completes."""

    def __init__(self, results_path: Path, partial: Path, resume: bool) -> None:
        self.partial = partial
        self.fresh = partial.with_name(partial.name + ".new")
        source = None
        if resume:
            source = partial if partial.exists() else results_path if results_path.exists() else None
        self.source = source

    def copy_previous(self):
        from .batch import completed_records

        with open(self.fresh, "w", encoding="utf-8") as fh:
            if self.source is not None:
                for record in completed_records(self.source):
                    fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                    yield record

    def open(self):
        os.replace(self.fresh, self.partial)
        return open(self.partial, "a", encoding="utf-8")



def run_report(results, out_dir, title="medclaim report", overwrite=False, stderr=None) -> int:
    from .report.html import count_results, read_results, write_site

    stderr = stderr or sys.stderr
    index = Path(out_dir) / "index.html"
    if index.exists() and not overwrite:
        print(f"medclaim: {index} exists; pass --overwrite to replace it", file=stderr)
        return EXIT_FAILED
    try:
        path = write_site(read_results(results), out_dir, title=title, total=count_results(results))
    except (ValueError, OSError) as exc:
        print(f"medclaim: {exc}", file=stderr)
        return EXIT_FAILED
    print(f"medclaim: report in {path}", file=stderr)
    return EXIT_CLEAN


@main.command("train")
@click.option("--train", "train_files", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="Training corpus file (repeatable).")
@click.option("--dev", "dev_file", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="Dev corpus file (repeatable); the best epoch is chosen on all of them together.")
@click.option("--terms", "data_terms", multiple=True, metavar="FILE=TEXT",
              help="The terms of use of a corpus file, written into the model card (repeatable).")
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "jsonl", "cmeee", "cmeee-v2", "conll", "doccano", "labelstudio"]))
@click.option("--label-map", help="Built-in map (cmeee, msra, cmedqaner) or a YAML file of source: LABEL.")
@click.option("--base-model", help="A model to fine-tune: a medclaim tagger folder, `default` for the shipped one "
                                   "(its labels, vocabulary and weights are kept, the corpus's new ones added), or a "
                                   "transformers model folder; default: train from scratch.")
@click.option("--encoder", type=click.Path(exists=True, file_okay=False),
              help="Start a new tagger's character and bigram tables from a `medclaim pretrain` folder.")
@click.option("--output", required=True, type=click.Path(file_okay=False), help="Folder for the model and its card.")
@click.option("--epochs", default=10, show_default=True, type=int)
@click.option("--batch-size", default=32, show_default=True, type=int)
@click.option("--lr", type=float, help="Learning rate (default 2e-3 for a new lstm-crf, 3e-4 continuing a medclaim tagger, 5e-4 for bert, 5e-5 fine-tuning a transformers model).")
@click.option("--max-steps", type=int, help="Stop after this many optimizer steps.")
@click.option("--seed", default=13, show_default=True, type=int)
@click.option("--arch", default="lstm-crf", show_default=True, type=click.Choice(["lstm-crf", "bert"]),
              help="Architecture when training from scratch.")
@click.option("--layers", type=int, help="Encoder layers (from scratch; default 1 for lstm-crf, 4 for bert).")
@click.option("--hidden", type=int, help="Hidden size (from scratch; default 256).")
@click.option("--lexicon", "lexicon_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Typed term file (term<TAB>LABEL) for the lexicon features, e.g. from `medclaim lexicon cmekg`.")
@click.option("--no-lexicon-features", is_flag=True, help="Train from scratch without the lexicon features.")
@click.option("--gazetteer", is_flag=True, help="Also use the training corpus's entity names as a feature.")
@click.option("--nested/--no-nested", default=None,
              help="Give a new lstm-crf tagger an inner layer for entities inside another (default: when the "
                   "training data annotates such spans, as CMeEE does).")
@click.option("--adversarial", default=0.0, show_default=True, type=click.FloatRange(0.0, 10.0),
              help="Also learn from each batch with its character and bigram vectors pushed this far along the "
                   "loss's gradient (adversarial training; doubles the training time, 0: off).")
@click.option("--overwrite", is_flag=True, help="Replace an existing model folder.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def train_command(train_files, dev_file, data_terms, fmt, label_map, base_model, encoder, output, epochs, batch_size, lr, max_steps, seed,
                  arch, layers, hidden, lexicon_files, no_lexicon_features, gazetteer, nested, adversarial, overwrite, quiet) -> None:
    """Train the entity tagger (a transformers token-classification model)."""
    from pathlib import Path

    from .tagger.corpora import CorpusError

    if Path(output).exists() and any(Path(output).iterdir()) and not overwrite:
        raise click.ClickException(f"{output} exists and is not empty; pass --overwrite to replace it")
    try:
        from .tagger.train import train
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise click.ClickException(f"training needs the tagger extra: pip install 'medclaim[tagger]' ({exc})")
    command = "medclaim train " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["train"] else "medclaim train"
    try:
        bad = [t for t in data_terms if "=" not in t]
        if bad:
            raise click.BadParameter(f"{bad[0]!r}: expected FILE=TEXT", param_hint="--terms")
        terms = dict(t.split("=", 1) for t in data_terms)
        meta = train(list(train_files), list(dev_file), output, data_terms=terms, fmt=fmt, label_map=label_map, base_model=base_model,
                     epochs=epochs, batch_size=batch_size, lr=lr, max_steps=max_steps, seed=seed,
                     arch=arch, scratch=_scratch(arch, layers, hidden), lexicon_files=list(lexicon_files),
                     lexicon_features=not no_lexicon_features, gazetteer=gazetteer, encoder=encoder, nested=nested,
                     adversarial=adversarial, progress=not quiet and sys.stderr.isatty(), command=command,
                     log=lambda m: click.echo(m, err=True))
    except (CorpusError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"best epoch {meta['best_epoch']}: dev micro F1 {meta['dev']['micro']['f1']:.4f}; saved to {output}")


@main.command("pretrain")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--output", required=True, type=click.Path(file_okay=False), help="Folder for the vectors and their card.")
@click.option("--text-field", default="text", show_default=True, help="The text's field in JSON Lines inputs.")
@click.option("--char-dim", default=128, show_default=True, type=int, help="Character vector size (the tagger's is 128).")
@click.option("--bigram-dim", default=64, show_default=True, type=int, help="Bigram vector size (the tagger's is 64).")
@click.option("--method", default="vectors", show_default=True, type=click.Choice(["vectors", "lm"]),
              help="vectors: word2vec character and bigram vectors; lm: a bidirectional character language model "
                   "on the tagger's own layers (needs torch).")
@click.option("--epochs", type=int, help="Passes over the text (default 5 for vectors, 1 for lm).")
@click.option("--hidden", default=256, show_default=True, type=int, help="The BiLSTM's size (lm; the tagger's is 256).")
@click.option("--window", default=5, show_default=True, type=int)
@click.option("--min-count", default=3, show_default=True, type=int, help="Leave out characters and bigrams seen fewer times.")
@click.option("--max-bigrams", default=100_000, show_default=True, type=int, help="Keep this many of the most frequent bigrams.")
@click.option("--max-chars", type=int, help="Read at most this many characters (after a seeded shuffle of the lines).")
@click.option("--seed", default=13, show_default=True, type=int)
@click.option("--terms", "data_terms", multiple=True, metavar="FILE=TEXT",
              help="The terms of use of an input, written into the card (repeatable).")
@click.option("--overwrite", is_flag=True, help="Replace an existing folder.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def pretrain_command(inputs, output, text_field, char_dim, bigram_dim, method, epochs, hidden, window, min_count, max_bigrams,
                     max_chars, seed, data_terms, overwrite, quiet) -> None:
    """Learn character representations from plain text or JSON Lines (for `medclaim train --encoder`)."""
    from pathlib import Path

    if Path(output).exists() and any(Path(output).iterdir()) and not overwrite:
        raise click.ClickException(f"{output} exists and is not empty; pass --overwrite to replace it")
    bad = [t for t in data_terms if "=" not in t]
    if bad:
        raise click.BadParameter(f"{bad[0]!r}: expected FILE=TEXT", param_hint="--terms")
    if method == "lm":
        try:
            from .tagger.charlm import pretrain_lm
            from .tagger.pretrain import PretrainError
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise click.ClickException(f"the language model needs torch: pip install 'medclaim[tagger]' ({exc})")
        try:
            meta = pretrain_lm(list(inputs), output, char_dim=char_dim, bigram_dim=bigram_dim, epochs=epochs or 1,
                               hidden_size=hidden,
                               min_count=min_count, max_chars=max_chars, seed=seed, text_field=text_field,
                               progress=not quiet and sys.stderr.isatty(), command=_invocation("pretrain"),
                               corpora_terms=dict(t.split("=", 1) for t in data_terms),
                               log=lambda m: click.echo(m, err=True))
        except (PretrainError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"a character language model of {meta['tokens']:,} tokens from {meta['characters']:,} characters "
                   f"of text in {meta['seconds']:.0f} s; saved to {output}")
        return
    try:
        from .tagger.pretrain import PretrainError, pretrain
        import gensim  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise click.ClickException(f"pretraining needs gensim: pip install 'medclaim[pretrain]' ({exc})")
    try:
        meta = pretrain(list(inputs), output, char_dim=char_dim, bigram_dim=bigram_dim, epochs=epochs or 5, window=window,
                        min_count=min_count, max_bigrams=max_bigrams, max_chars=max_chars, seed=seed,
                        text_field=text_field, progress=not quiet and sys.stderr.isatty(),
                        command=_invocation("pretrain"), corpora_terms=dict(t.split("=", 1) for t in data_terms),
                        log=lambda m: click.echo(m, err=True))
    except (PretrainError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{meta['chars']['vocabulary']:,} characters and {meta['bigrams']['vocabulary']:,} bigrams from "
               f"{meta['characters']:,} characters of text in {meta['seconds']:.0f} s; saved to {output}")


def _scratch(arch: str, layers: int | None, hidden: int | None) -> dict:
    out: dict = {}
    if arch == "bert":
        if layers:
            out["num_hidden_layers"] = layers
        if hidden:
            out.update(hidden_size=hidden, num_attention_heads=max(1, hidden // 64), intermediate_size=hidden * 4)
    else:
        if layers:
            out["num_layers"] = layers
        if hidden:
            out["hidden_size"] = hidden
    return out


def _invocation(name: str) -> str:
    """The command line that ran ``medclaim NAME`` (for the model card), or "" when called otherwise."""
    return f"medclaim {name} " + " ".join(sys.argv[2:]) if sys.argv[1:2] == [name] else ""


def _model_folder(output: str, overwrite: bool):
    """The folder a trainer writes to; an existing model is never replaced unasked."""
    from pathlib import Path

    out = Path(output)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise click.ClickException(f"{output} exists and is not empty; pass --overwrite to replace it")
    return out


def _trainer(module: str):
    """``train`` of ``pipeline.checks.<module>``, or a clear error where scikit-learn is missing."""
    import importlib

    try:
        return importlib.import_module(f".checks.{module}", __package__).train
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise click.ClickException(f"training needs scikit-learn: pip install 'medclaim[train]' ({exc})")


def _hashed_model_options(C: float):
    """The options every hashed logistic-regression trainer shares (train-percent, train-advertorial)."""
    options = [
        click.option("--text-field", default="text", show_default=True, help="The JSON Lines field that holds the text."),
        click.option("--output", required=True, type=click.Path(file_okay=False), help="Folder for the model and its card."),
        click.option("--c", "C", default=C, show_default=True, type=click.FloatRange(min=1e-6),
                     help="Inverse regularisation strength of the logistic regression."),
        click.option("--bits", default=18, show_default=True, type=click.IntRange(10, 24),
                     help="Hash the features into 2**BITS weights."),
        click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20)),
        click.option("--seed", default=13, show_default=True, type=int),
        click.option("--overwrite", is_flag=True, help="Replace an existing model folder."),
    ]

    def apply(fn):
        for option in reversed(options):
            fn = option(fn)
        return fn
    return apply


@main.command("train-advertorial")
@click.option("--positive", "positive_paths", multiple=True, required=True, type=click.Path(exists=True),
              help="Promotional text (advertorials, persuasive health claims): files or folders, repeatable.")
@click.option("--negative", "negative_paths", multiple=True, required=True, type=click.Path(exists=True),
              help="Ordinary text (news, fact-checks, popular science, plain answers): files or folders, repeatable.")
@click.option("--max-false-rate", default=0.0005, show_default=True, type=click.FloatRange(0.0, 0.5),
              help="The threshold lets at most this share of ordinary passages through (cross-validated).")
@_hashed_model_options(C=4.0)
def train_advertorial_command(positive_paths, negative_paths, text_field, output, max_false_rate, C, bits, folds, seed,
                              overwrite) -> None:
    """Train the advertorial model: promotional against ordinary passages."""
    out = _model_folder(output, overwrite)
    train = _trainer("advertorial_train")
    positive, negative = _training_texts(positive_paths, text_field), _training_texts(negative_paths, text_field)
    if not positive or not negative:
        raise click.ClickException(f"no text found in --{'positive' if not positive else 'negative'}")
    command = _invocation("train-advertorial")
    try:
        meta = train(positive, negative, out, bits=bits, C=C, folds=folds, max_false_rate=max_false_rate, seed=seed,
                     command=command, sources={"promotional": [str(p) for p in positive_paths],
                                               "ordinary": [str(p) for p in negative_paths]},
                     log=lambda m: click.echo(m, err=True))
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    cv = meta["cross_validation"]
    click.echo(f"threshold {meta['threshold']:.3f}: cross-validated recall {cv['recall']:.3f} on promotional passages, "
               f"{cv['false_rate']:.2%} of ordinary passages over it; saved to {output}")


def _training_texts(paths, text_field: str) -> list[str]:
    """The texts under ``paths``; unreadable inputs are reported on stderr and skipped."""
    from .ingest import iter_documents

    found = []
    for document in iter_documents(paths, text_field=text_field):
        for error in document.errors:
            click.echo(f"medclaim: {error}", err=True)
        if document.text:
            found.append(document.text)
    return found


@main.command("train-percent")
@click.option("--data", "data_paths", multiple=True, required=True, type=click.Path(exists=True),
              help="Real text to learn from: files or folders (.txt .md .html .jsonl), repeatable. Its % signs are the labels.")
@click.option("--extra", "extra_paths", multiple=True, type=click.Path(exists=True),
              help="More text with % signs to learn from (say, a medical corpus); the threshold is chosen on --data alone.")
@click.option("--dev", "dev_paths", multiple=True, type=click.Path(exists=True),
              help="Text to measure the model on after training (repeatable).")
@click.option("--precision", "target_precision", default=0.95, show_default=True, type=click.FloatRange(0.5, 1.0),
              help="The cross-validated precision the threshold is chosen for.")
@click.option("--no-document-stage", is_flag=True,
              help="Leave out the second stage that reads the text's other numbers (the first stage alone decides).")
@click.option("--one-sign", default=2, show_default=True, type=click.IntRange(0, 20),
              help="Also learn from this many copies of each text with one sign removed and the others kept.")
@click.option("--reader/--no-reader", default=True, show_default=True,
              help="Also train the character reader (a BiLSTM a fold; needs torch, the tagger extra).")
@click.option("--reader-epochs", default=2, show_default=True, type=click.IntRange(1, 50))
@_hashed_model_options(C=1.0)
def train_percent_command(data_paths, extra_paths, dev_paths, text_field, output, target_precision, no_document_stage,
                          one_sign, reader, reader_epochs, C, bits, folds, seed, overwrite) -> None:
    """Train the lost-% detector from real text (its % signs label it)."""
    out = _model_folder(output, overwrite)
    train = _trainer("percent_train")

    def texts(paths):
        return _training_texts(paths, text_field)

    train_texts = texts(data_paths)
    if not train_texts:
        raise click.ClickException("no text found in --data")
    if reader:
        try:
            import torch  # noqa: F401
        except ImportError:
            raise click.ClickException("the character reader needs torch: pip install 'medclaim[tagger]', "
                                       "or pass --no-reader") from None
    command = _invocation("train-percent")
    try:
        meta = train(train_texts, out, extra_texts=texts(extra_paths), dev_texts=texts(dev_paths) if dev_paths else None,
                     bits=bits, C=C, folds=folds, target_precision=target_precision, seed=seed, command=command,
                     document_stage=not no_document_stage, one_sign=one_sign, reader=reader, reader_epochs=reader_epochs,
                     data=[str(p) for p in data_paths], extra=[str(p) for p in extra_paths],
                     log=lambda m: click.echo(m, err=True))
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    cv = meta["cross_validation"]
    click.echo(f"threshold {meta['threshold']:.3f}: cross-validated recall {cv['recall']:.3f}, "
               f"precision {cv['precision']:.3f}; saved to {output}")


@main.group("lexicon")
def lexicon_group() -> None:
    """Typed term files for the tagger's lexicon features."""


@lexicon_group.command("cmekg")
@click.option("--pickle", "pickle_path", type=click.Path(exists=True, dir_okay=False),
              help="The graph file (default: the installed PyCMeKG package's).")
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="Term file to write (term<TAB>LABEL).")
@click.option("--overwrite", is_flag=True, help="Replace an existing file.")
def lexicon_cmekg_command(pickle_path, output, overwrite) -> None:
    """Export PyCMeKG's typed terms (pip install pycmekg; MIT licence) as a term file."""
    from collections import Counter
    from pathlib import Path

    from .tagger.cmekg import installed_pickle, load_plain_pickle, terms_from_graph
    from .tagger.features import write_term_file

    if Path(output).exists() and not overwrite:
        raise click.ClickException(f"{output} exists; pass --overwrite to replace it")
    try:
        path = pickle_path or installed_pickle()
        table = terms_from_graph(load_plain_pickle(path), str(path))
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    write_term_file(output, table)
    counts = Counter(label for labels in table.values() for label in labels)
    click.echo(f"{len(table)} terms to {output}: " + ", ".join(f"{l} {n}" for l, n in counts.most_common()))


@main.command("evaluate")
@click.option("--model", "model_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--data", "data_files", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "jsonl", "cmeee", "cmeee-v2", "conll", "doccano", "labelstudio"]))
@click.option("--label-map", help="Built-in map (cmeee, msra, cmedqaner) or a YAML file of source: LABEL.")
@click.option("--nested/--flat", default=None,
              help="Score the inner layer's nested spans too (default: when the data annotates spans inside others).")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Leave out spans scoring less (0.5: the spans an audit takes from the model).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_command(model_dir, data_files, fmt, label_map, nested, min_score, as_json) -> None:
    """Strict span-level precision, recall and F1 of a model on annotated data."""
    from .tagger.corpora import CorpusError, read_corpus
    from .tagger.metrics import format_table
    from .tagger.model import Tagger
    from .tagger.train import evaluate_examples

    try:
        examples = list(read_corpus(data_files, fmt, label_map))
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    scores = evaluate_examples(Tagger.load(model_dir), examples, nested=nested, min_score=min_score)
    if as_json:
        click.echo(json.dumps(scores, ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(scores))
        click.echo(("nested spans scored (the model's inner layer)" if scores["nested"] else "flat spans scored")
                   + (f"; spans scoring under {min_score} left out" if min_score else ""))


@main.group()
def rules() -> None:
    """List, show and test rule packs."""


def _load(rule_dirs, builtin=True):
    from .rules.loader import load_rules
    from .rules.model import RuleError

    try:
        return load_rules(list(rule_dirs), builtin=builtin)
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None


@rules.command("list")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra rule folder.")
def rules_list(rule_dirs) -> None:
    """One line per rule and numeric check: id, check type, category, severity."""
    from .checks.codes import CHECK_CODES

    for rule in _load(rule_dirs):
        click.echo(f"{rule.id:28s} {rule.extends:12s} {rule.category:20s} {rule.severity}")
    for code in CHECK_CODES.values():
        click.echo(f"{code.id:28s} {'check':12s} {code.category:20s} {code.severity}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), help="Extra rule folder.")
def rules_show(rule_id, rule_dirs) -> None:
    """Print a rule as YAML."""
    import yaml

    from .checks.codes import CHECK_CODES

    found = [r for r in _load(rule_dirs) if r.id == rule_id]
    if not found and rule_id in CHECK_CODES:
        code = CHECK_CODES[rule_id]
        click.echo(f"# {rule_id} (a numeric check in pipeline/checks; switch it off with --disable {rule_id})")
        click.echo(yaml.safe_dump({"extends": "check", "category": code.category, "severity": code.severity,
                                   "description": {"zh": code.zh, "en": code.en}},
                                  allow_unicode=True, sort_keys=False).rstrip())
        return
    if not found:
        raise click.ClickException(f"no rule {rule_id!r}; see `medclaim rules list`")
    click.echo(f"# {rule_id} ({found[0].path})")
    click.echo(yaml.safe_dump(found[0].to_dict(), allow_unicode=True, sort_keys=False).rstrip())


@rules.command("test")
@click.argument("rule_dir", required=False, type=click.Path(file_okay=False))
def rules_test(rule_dir) -> None:
    """Run every rule's examples (the built-in packs, or only those in RULE_DIR)."""
    from .rules.testing import run_examples

    loaded = _load([rule_dir] if rule_dir else [], builtin=not rule_dir)
    results = run_examples(loaded)
    failed = [r for r in results if not r.ok]
    for r in failed:
        want = "should flag" if r.kind == "positive" else "should not flag"
        click.echo(f"FAIL {r.rule}: {want}: {r.text}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
