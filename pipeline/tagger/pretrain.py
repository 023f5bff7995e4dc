"""Character and bigram representations learned from plain text (``medclaim pretrain``).

The tagger reads a text one character at a time, with the bigram each character starts
(:mod:`pipeline.tagger.layers`). Both embedding tables start from nothing when the tagger is trained
on a labelled corpus alone. ``pretrain`` learns them from unlabelled text instead: word2vec
(skip-gram with negative sampling, gensim) over the characters of each line, and again over its
bigrams, so that characters and bigrams used alike in real health text get vectors alike. A tagger
trained with ``medclaim train --encoder DIR`` starts its tables from these vectors (see
:func:`pipeline.tagger.finetune.initialise_from_encoder`).

The folder holds ``chars.txt`` / ``chars.npy`` (one character a line, its vector a row),
``bigrams.txt`` / ``bigrams.npy`` (the ``max_bigrams`` most frequent), ``meta.json`` and a card.
Vectors are stored as float16: the shipped encoder stays a few megabytes.
"""
from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..cards import write_model_card
from ..normalize import normalize

ENCODER_TYPE = "medclaim-char-vectors"
DEFAULTS = {"char_dim": 128, "bigram_dim": 64, "window": 5, "epochs": 5, "min_count": 3, "max_bigrams": 100_000,
            "negative": 5, "sg": 1}
MAX_LINE = 2000  # characters a training line (longer lines are cut at this length)


class PretrainError(ValueError):
    """A pretraining input that cannot be read (named with its file)."""


def read_texts(paths: Iterable[str | Path], text_field: str = "text") -> Iterator[str]:
    """The texts of plain text files (the whole file a text) and JSON Lines (``text_field`` of each
    record); a folder stands for the .txt, .md and .jsonl files under it."""
    for path in _files(paths):
        if path.suffix == ".jsonl":
            with path.open("rb") as f:
                for n, raw in enumerate(f, 1):
                    try:
                        line = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise PretrainError(f"{path}:{n}: not UTF-8 text") from None
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except ValueError as exc:
                        raise PretrainError(f"{path}:{n}: not JSON ({exc})") from None
                    text = record.get(text_field) if isinstance(record, dict) else None
                    if isinstance(text, str):
                        yield text
        else:
            try:
                yield path.read_text("utf-8")
            except UnicodeDecodeError:
                raise PretrainError(f"{path}: not UTF-8 text") from None


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.suffix in (".txt", ".md", ".jsonl") and f.is_file())
        elif p.is_file():
            yield p
        else:
            raise PretrainError(f"{p}: no such file or folder")


def lines_of(texts: Iterable[str]) -> Iterator[list[str]]:
    """Each text normalised as the audit normalises it (full-width forms, Traditional to Simplified)
    and cut into lines of characters, whitespace left out."""
    for text in texts:
        for line in normalize(text).splitlines():
            chars = [c for c in line if not c.isspace()]
            for i in range(0, len(chars), MAX_LINE):
                if len(chars[i:i + MAX_LINE]) > 1:
                    yield chars[i:i + MAX_LINE]


def bigrams_of(chars: list[str]) -> list[str]:
    """The bigram each character starts, as the tagger reads it (the last character's partner is the
    end of the line)."""
    return [a + b for a, b in zip(chars, chars[1:])]


class _Corpus:
    """A re-iterable corpus for gensim (it reads the data once a pass), of characters or bigrams."""

    def __init__(self, lines: list[list[str]], bigrams: bool) -> None:
        self.lines, self.bigrams = lines, bigrams

    def __iter__(self):
        for chars in self.lines:
            yield bigrams_of(chars) if self.bigrams else chars


def pretrain(inputs: list[str], output: str | Path, *, char_dim: int = DEFAULTS["char_dim"],
             bigram_dim: int = DEFAULTS["bigram_dim"], window: int = DEFAULTS["window"],
             epochs: int = DEFAULTS["epochs"], min_count: int = DEFAULTS["min_count"],
             max_bigrams: int = DEFAULTS["max_bigrams"], max_chars: int | None = None, seed: int = 13,
             workers: int = 2, text_field: str = "text", progress: bool = True, command: str = "",
             corpora_terms: dict[str, str] | None = None, log=print) -> dict:
    """Learn character and bigram vectors from ``inputs`` and save them to ``output``; returns the
    metadata written to the card. ``max_chars`` stops reading after that many characters (the
    learning curve in ``benchmarks/pretrain/``); lines are shuffled with ``seed`` first."""
    import numpy
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec
    from tqdm import tqdm

    started = time.time()
    out = Path(output)
    lines = list(lines_of(read_texts(inputs, text_field)))
    random.Random(seed).shuffle(lines)
    if max_chars is not None:
        kept, total = [], 0
        for chars in lines:
            if total >= max_chars:
                break
            kept.append(chars)
            total += len(chars)
        lines = kept
    n_chars = sum(map(len, lines))
    if n_chars < 2:
        raise PretrainError(f"{', '.join(map(str, inputs))}: no text to learn from")
    log(f"{len(lines):,} lines, {n_chars:,} characters")

    class Bar(CallbackAny2Vec):
        def __init__(self, what: str) -> None:
            self.bar = tqdm(total=epochs, desc=what, unit="epoch", disable=not progress, file=sys.stderr, leave=False)

        def on_epoch_end(self, model) -> None:
            self.bar.update(1)

    def learn(bigrams: bool, dim: int) -> tuple[list[str], "numpy.ndarray", dict]:
        corpus = _Corpus(lines, bigrams)
        t0 = time.time()
        bar = Bar("bigrams" if bigrams else "characters")
        model = Word2Vec(corpus, vector_size=dim, window=window, min_count=min_count, sg=DEFAULTS["sg"],
                         negative=DEFAULTS["negative"], epochs=epochs, workers=workers, seed=seed,
                         max_final_vocab=max_bigrams if bigrams else None, callbacks=[bar])
        bar.bar.close()
        words = list(model.wv.index_to_key)  # most frequent first
        vectors = model.wv.vectors[: len(words)].astype(numpy.float16)
        return words, vectors, {"vocabulary": len(words), "seconds": round(time.time() - t0, 1)}

    chars, char_vectors, char_info = learn(False, char_dim)
    log(f"characters: {char_info['vocabulary']:,} in {char_info['seconds']:.0f} s")
    bigrams, bigram_vectors, bigram_info = learn(True, bigram_dim)
    log(f"bigrams: {bigram_info['vocabulary']:,} in {bigram_info['seconds']:.0f} s")
    out.mkdir(parents=True, exist_ok=True)
    (out / "chars.txt").write_text("\n".join(chars) + "\n", "utf-8")
    numpy.save(out / "chars.npy", char_vectors)
    (out / "bigrams.txt").write_text("\n".join(bigrams) + "\n", "utf-8")
    numpy.save(out / "bigrams.npy", bigram_vectors)
    meta = {"type": ENCODER_TYPE, "command": command, "trained_at": time.strftime("%Y-%m-%d %H:%M"),
            "seconds": round(time.time() - started, 1), "seed": seed, "lines": len(lines), "characters": n_chars,
            "inputs": [{"path": str(p), "terms": (corpora_terms or {}).get(str(p), "")} for p in inputs],
            "method": "word2vec skip-gram, negative sampling (gensim)",
            "hyperparameters": {"char_dim": char_dim, "bigram_dim": bigram_dim, "window": window, "epochs": epochs,
                                "min_count": min_count, "max_bigrams": max_bigrams, "max_chars": max_chars},
            "chars": char_info, "bigrams": bigram_info}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    write_card(out, meta)
    return meta


def write_card(folder: Path, meta: dict) -> None:
    hp = meta["hyperparameters"]
    lines = [f"# medclaim character vectors: {folder.name}", "",
             f"Learned by `{meta['command'] or 'medclaim pretrain'}` on {meta['trained_at']} in {meta['seconds']:.0f} s "
             f"(seed {meta['seed']}).", "",
             f"Method: {meta['method']}, over each line's characters ({hp['char_dim']} dimensions) and again over its "
             f"bigrams ({hp['bigram_dim']} dimensions); window {hp['window']}, {hp['epochs']} epochs, words seen fewer "
             f"than {hp['min_count']} times left out, the {hp['max_bigrams']:,} most frequent bigrams kept.", "",
             f"Text: {meta['lines']:,} lines, {meta['characters']:,} characters, normalised as the audit normalises "
             f"(Traditional to Simplified, full-width forms).", "", "## Corpora", ""]
    lines += [f"- `{d['path']}` {d['terms']}".rstrip() for d in meta["inputs"]]
    lines += ["", "## Contents", "",
              f"- `chars.txt`, `chars.npy`: {meta['chars']['vocabulary']:,} characters, float16",
              f"- `bigrams.txt`, `bigrams.npy`: {meta['bigrams']['vocabulary']:,} bigrams, float16", "",
              "Use: `medclaim train --encoder THIS_FOLDER ...` starts the tagger's character and bigram tables "
              "from these vectors."]
    write_model_card(folder, "\n".join(lines))


class Encoder:
    """A pretrained folder: ``Encoder.load(dir)`` -> ``.chars``, ``.char_vectors``, ``.bigrams``,
    ``.bigram_vectors`` (float32 arrays, rows in the lists' order)."""

    def __init__(self, chars, char_vectors, bigrams, bigram_vectors, meta) -> None:
        self.chars, self.char_vectors, self.bigrams, self.bigram_vectors, self.meta = \
            chars, char_vectors, bigrams, bigram_vectors, meta

    @classmethod
    def load(cls, folder: str | Path) -> "Encoder":
        import numpy

        folder = Path(folder)
        try:
            meta = json.loads((folder / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            raise PretrainError(f"{folder}: not a pretrained encoder folder (no meta.json; make one with "
                                f"`medclaim pretrain`)") from None
        if meta.get("type") != ENCODER_TYPE:
            raise PretrainError(f"{folder}: meta.json is not a medclaim pretrained encoder's ({meta.get('type')!r})")

        def table(name):
            words = (folder / f"{name}.txt").read_text("utf-8").split("\n")[:-1]
            vectors = numpy.load(folder / f"{name}.npy").astype(numpy.float32)
            if len(words) != len(vectors):
                raise PretrainError(f"{folder}: {name}.txt has {len(words)} entries, {name}.npy {len(vectors)} rows")
            return words, vectors

        chars, cv = table("chars")
        bigrams, bv = table("bigrams")
        return cls(chars, cv, bigrams, bv, meta)
