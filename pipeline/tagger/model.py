"""The statistical tagger: a transformers token-classification model over characters.

Labels are BIO tags on tokens; character spans are aligned to tokens through the tokenizer's offset
mapping, so the same code serves a character tokenizer trained from scratch and a WordPiece tokenizer
of a pretrained Chinese BERT given with ``--base-model``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..cards import write_model_card

MAX_LENGTH = 512
WINDOW = 500  # characters a piece when tagging; below MAX_LENGTH to leave room for special tokens
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def bio_labels(labels: list[str]) -> list[str]:
    return ["O"] + [f"{p}-{l}" for l in labels for p in ("B", "I")]


def char_tokenizer(texts, min_count: int = 1):
    """A fast tokenizer with one token per character, its vocabulary built from ``texts``."""
    from collections import Counter

    counts = Counter(ch for t in texts for ch in t if not ch.isspace())
    return tokenizer_of(SPECIALS + [ch for ch, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if n >= min_count])


def tokenizer_of(tokens: list[str]):
    """A one-token-per-character tokenizer whose ids are the positions in ``tokens`` (the special
    tokens first)."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    if tokens[:len(SPECIALS)] != SPECIALS:
        raise ValueError("a character vocabulary must start with the special tokens " + " ".join(SPECIALS))
    vocab = {tok: i for i, tok in enumerate(tokens)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                 pre_tokenizers.Split(Regex("."), behavior="isolated")])
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.decoder = decoders.WordPiece()
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=MAX_LENGTH)


def encode(tokenizer, text: str, spans: list[tuple[int, int, str]] | None, label2id: dict[str, int],
           inner: bool = False) -> dict:
    """Token ids and, when ``spans`` are given, BIO label ids aligned through the offset mapping;
    with ``inner`` also ``inner_labels``, the BIO ids of the spans nested inside the outer ones."""
    enc = tokenizer(text, truncation=True, max_length=MAX_LENGTH, return_offsets_mapping=True)
    offsets = enc.pop("offset_mapping")
    enc.pop("token_type_ids", None)
    if spans is not None:
        outer = _non_overlapping(spans)
        enc["labels"] = _bio_ids(len(text), outer, offsets, label2id)
        if inner:
            enc["inner_labels"] = _bio_ids(len(text), inner_spans(spans, outer), offsets, label2id)
    enc["offsets"] = [list(o) for o in offsets]
    return dict(enc)


def _bio_ids(length: int, spans, offsets, label2id: dict[str, int]) -> list[int]:
    char_tags = ["O"] * length
    for s, e, label in spans:
        char_tags[s] = f"B-{label}"
        for i in range(s + 1, e):
            char_tags[i] = f"I-{label}"
    # special tokens get -100
    return [-100 if a == b else label2id.get(char_tags[a], 0) for a, b in offsets]


def inner_spans(spans, outer=None) -> list[tuple[int, int, str]]:
    """The spans that lie inside one of the ``outer`` spans (the longest-first flat layer, by
    default) without being it, flattened the same way: the inner layer's training targets.

    >>> inner_spans([(0, 4, "SYMPTOM"), (0, 1, "BODY"), (5, 7, "DRUG")])
    [(0, 1, 'BODY')]
    """
    outer = _non_overlapping(spans) if outer is None else outer
    kept = set(outer)
    nested = [(s, e, l) for s, e, l in spans if (s, e, l) not in kept and strictly_inside(s, e, outer)]
    return _non_overlapping(nested)


def strictly_inside(s: int, e: int, outer) -> bool:
    """Whether ``s:e`` lies inside one of the ``outer`` spans (tuples starting with start and end)
    without being it."""
    return any(o[0] <= s and e <= o[1] and (s, e) != (o[0], o[1]) for o in outer)


def windows(text: str, limit: int = WINDOW) -> list[tuple[int, int]]:
    """Pieces of ``text`` no longer than ``limit`` characters, cut after sentence or clause punctuation
    where possible, so that a long text is tagged whole rather than truncated.

    >>> windows("甲。乙丙。丁", 3)
    [(0, 2), (2, 5), (5, 6)]
    """
    out, start = [], 0
    while len(text) - start > limit:
        piece = text[start:start + limit]
        cut = max(piece.rfind(p) for p in "。！？；;!?\n")
        if cut < limit // 4:
            cut = max(piece.rfind(p) for p in "，,、 ")
        end = start + (cut + 1 if cut >= limit // 4 else limit)
        out.append((start, end))
        start = end
    out.append((start, len(text)))
    return out


def sentence_windows(text: str, limit: int = WINDOW) -> list[tuple[int, int]]:
    """The pieces a text is tagged in: its sentences, each cut by :func:`windows` where longer than
    ``limit``. The model learned from sentences, and an audit tags sentence by sentence: a text of
    several sentences tagged whole scored lower (F1 0.605 against 0.636 on held-out lay texts).

    >>> sentence_windows("甲乙。丙丁!  戊")
    [(0, 3), (3, 6), (8, 9)]
    """
    from ..sentences import split_sentences

    return [(s + a, s + b) for s, e in split_sentences(text) for a, b in windows(text[s:e], limit)]


def _non_overlapping(spans):
    """BIO cannot hold nested spans: keep the longest, then the earliest."""
    kept: list[tuple[int, int, str]] = []
    for s, e, l in sorted(spans, key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, l))
    return sorted(kept)


def decode(tags: list[str], offsets: list[list[int]], scores: list[float] | None = None) -> list[tuple]:
    """BIO tags on tokens to character spans ``(start, end, label, score)``."""
    spans = []
    current = None
    for i, (tag, (a, b)) in enumerate(zip(tags, offsets)):
        if a == b:
            continue
        score = scores[i] if scores else 1.0
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != tag[2:])):
            if current:
                spans.append(tuple(current[:3]) + (min(current[3]),))
            current = [a, b, tag[2:], [score]]
        elif tag.startswith("I-") and current is not None:
            current[1] = b
            current[3].append(score)
        else:
            if current:
                spans.append(tuple(current[:3]) + (min(current[3]),))
            current = None
    if current:
        spans.append(tuple(current[:3]) + (min(current[3]),))
    return spans


def _features(path: Path, config):
    """The lexicon features a model was trained with, or None."""
    if not getattr(config, "lexicon_size", 0):
        return None
    from .features import load

    return load(path, config.lexicon_sources)


@dataclass
class Tagger:
    """A trained model folder: ``Tagger.load(dir).predict(texts)`` -> spans ``(start, end, label, score)``
    per text. Scores are the lowest per-character probability in the span (CRF marginals for the
    from-scratch model, softmax otherwise)."""
    model: object
    tokenizer: object
    id2label: dict[int, str]
    features: object = None  # LexiconFeatures, for models that take them
    chars: "CharEncoder | None" = None  # the fast path for a one-token-per-character tokenizer

    @classmethod
    def load(cls, path: str | Path, runtime: str = "auto") -> "Tagger":
        """``runtime="auto"`` loads a from-scratch model with a character tokenizer through
        :class:`pipeline.tagger.layers.LSTMCRFRuntime` (plain torch, same outputs, no transformers
        import); any other model, or ``runtime="transformers"``, through transformers' Auto classes."""
        path = Path(path)
        if runtime not in ("auto", "transformers"):
            raise ValueError(f"runtime must be 'auto' or 'transformers', not {runtime!r}")
        if runtime == "auto":
            from .layers import runtime_loadable

            chars = CharEncoder.from_files(path) if runtime_loadable(path) else None
            if chars is not None:
                from .layers import LSTMCRFRuntime

                model = LSTMCRFRuntime.load(path)
                return cls(model, None, dict(model.config.id2label), _features(path, model.config), chars)
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        from . import lstm  # noqa: F401  (registers the from-scratch architecture with the Auto classes)

        from transformers.utils import logging as hf_logging

        bars = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()  # an audit's stderr carries its own messages only
        try:
            model = AutoModelForTokenClassification.from_pretrained(str(path))
            tokenizer = AutoTokenizer.from_pretrained(str(path))
        finally:
            if bars:
                hf_logging.enable_progress_bar()
        model.eval()
        return cls(model, tokenizer, {int(k): v for k, v in model.config.id2label.items()},
                   _features(path, model.config), CharEncoder.of(tokenizer))

    @property
    def has_inner_layer(self) -> bool:
        """Whether the model tags nested entities too (an inner layer, see :mod:`pipeline.tagger.layers`)."""
        return getattr(self.model, "inner_classifier", None) is not None

    def predict(self, texts: list[str], batch_size: int = 32, nested: bool = False,
                sentences: bool = True) -> list[list[tuple]]:
        """Spans per text. With ``nested`` a model with an inner layer adds the entities it finds
        inside the outer layer's (each strictly inside one of them); the spans may then overlap.
        Each text is tagged sentence by sentence; ``sentences=False`` takes each text as one sentence
        (the audit passes its sentences), cut only where longer than the window."""
        pieces, owners = [], []
        for n, text in enumerate(texts):
            for s, e in (sentence_windows(text) if sentences else windows(text)):
                pieces.append((text[s:e], s))
                owners.append(n)
        out: list[list[tuple]] = [[] for _ in texts]
        # similar lengths together: less padding
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i][0]))
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            for j, spans in zip(idx, self._predict_batch([pieces[j][0] for j in idx], nested)):
                shift = pieces[j][1]
                out[owners[j]].extend((a + shift, b + shift, label, score) for a, b, label, score in spans)
        return [sorted(spans) for spans in out]

    def _predict_batch(self, batch: list[str], nested: bool = False) -> list[list[tuple]]:
        import torch

        if self.chars is not None:
            input_ids, attention_mask, offsets = self.chars.encode(batch)
            inputs = {"input_ids": input_ids, "attention_mask": attention_mask}
        else:
            enc = self.tokenizer(batch, truncation=True, max_length=MAX_LENGTH, padding=True,
                                 return_offsets_mapping=True, return_tensors="pt")
            offsets = enc.pop("offset_mapping").tolist()
            inputs = {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}
            if "token_type_ids" in enc and not hasattr(self.model, "crf"):
                inputs["token_type_ids"] = enc["token_type_ids"]
        if self.features is not None:
            from .features import dense

            inputs["lexicon_features"] = dense([self.features.token_features(t, o) for t, o in zip(batch, offsets)],
                                               inputs["input_ids"].size(1))
        nested = nested and self.has_inner_layer
        with torch.inference_mode():
            output = self.model(**inputs, inner=True) if nested else self.model(**inputs)
            logits = output.logits
            if hasattr(self.model, "crf"):
                best, conf = self.model.decode(logits, inputs["attention_mask"])
            else:
                probs = logits.softmax(-1)
                best, conf = probs.argmax(-1).tolist(), probs.max(-1).values.tolist()
            out = []
            for row, offs, sc in zip(best, offsets, conf):
                tags = [self.id2label[j] for j in row]
                out.append(decode(tags, offs[:len(tags)], sc))
            if nested:
                self._add_inner(out, output.inner_logits, inputs["attention_mask"], offsets)
        return out

    def _add_inner(self, out: list[list[tuple]], inner_logits, attention_mask, offsets) -> None:
        """The inner layer's spans that lie strictly inside an outer span of their row, added to
        ``out``; only rows with an outer span of two or more characters are decoded."""
        import torch

        rows = [b for b, spans in enumerate(out) if any(e - s > 1 for s, e, _, _ in spans)]
        if not rows:
            return
        index = torch.tensor(rows)
        best, conf = self.model.decode(inner_logits[index], attention_mask[index], crf=self.model.inner_crf)
        for b, row, sc in zip(rows, best, conf):
            outer = list(out[b])
            tags = [self.id2label[j] for j in row]
            for s, e, label, score in decode(tags, offsets[b][:len(tags)], sc):
                if strictly_inside(s, e, outer):
                    out[b].append((s, e, label, score))


# Unicode's White_Space characters, which the tokenizers library splits on (Python's str.isspace also
# counts the separators U+001C..U+001F, which the tokenizer keeps as tokens)
WHITE_SPACE = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
                        + "".join(chr(c) for c in range(0x2000, 0x200B)))
CHAR_PRE_TOKENIZER = {"type": "Sequence", "pretokenizers": [
    {"type": "WhitespaceSplit"}, {"type": "Split", "pattern": {"Regex": "."}, "behavior": "Isolated", "invert": False}]}


@dataclass
class CharEncoder:
    """What a one-token-per-character tokenizer (:func:`char_tokenizer`) does, without its overhead:
    ids, attention mask and offsets for a batch, padded on the right. Used only for a tokenizer of
    exactly that shape (see :meth:`of`); a test checks it against the tokenizer itself."""
    vocab: dict[str, int]
    unk: int
    cls: int
    sep: int
    pad: int

    @classmethod
    def of(cls, tokenizer) -> "CharEncoder | None":
        backend = getattr(tokenizer, "backend_tokenizer", None)
        if backend is None or getattr(tokenizer, "padding_side", "right") != "right":
            return None
        return cls.from_spec(json.loads(backend.to_str()), {
            "cls_token": tokenizer.cls_token, "sep_token": tokenizer.sep_token, "unk_token": tokenizer.unk_token,
            "pad_token": tokenizer.pad_token})

    @classmethod
    def from_files(cls, folder: Path) -> "CharEncoder | None":
        """The encoder of a saved tokenizer (``tokenizer.json`` and ``tokenizer_config.json``), read
        without transformers; None when it is not a one-token-per-character tokenizer."""
        try:
            spec = json.loads((folder / "tokenizer.json").read_text("utf-8"))
            settings = json.loads((folder / "tokenizer_config.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if settings.get("padding_side", "right") != "right" or settings.get("do_lower_case"):
            return None
        return cls.from_spec(spec, settings)

    @classmethod
    def from_spec(cls, spec: dict, tokens: dict) -> "CharEncoder | None":
        """From a tokenizers JSON spec and the special tokens' strings (``cls_token`` ...)."""
        post = spec.get("post_processor") or {}
        single = [next(iter(p.values()))["id"] for p in post.get("single", [])]
        model = spec.get("model") or {}
        if (spec.get("normalizer") is not None or spec.get("pre_tokenizer") != CHAR_PRE_TOKENIZER
                or model.get("type") != "WordLevel" or post.get("type") != "TemplateProcessing"
                or single != [tokens.get("cls_token"), "A", tokens.get("sep_token")]):
            return None
        vocab = dict(model["vocab"])
        ids = [vocab.get(tokens.get(k)) for k in ("unk_token", "cls_token", "sep_token", "pad_token")]
        if None in ids:
            return None
        return cls(vocab, *ids)

    def encode(self, batch: list[str]):
        import numpy
        import torch

        rows, offsets = [], []
        get, unk = self.vocab.get, self.unk
        for text in batch:
            where = [i for i, ch in enumerate(text) if ch not in WHITE_SPACE][:MAX_LENGTH - 2]
            rows.append([self.cls] + [get(text[i], unk) for i in where] + [self.sep])
            offsets.append([[0, 0]] + [[i, i + 1] for i in where] + [[0, 0]])
        width = max(map(len, rows))
        ids = numpy.full((len(rows), width), self.pad, dtype=numpy.int64)
        mask = numpy.zeros((len(rows), width), dtype=numpy.int64)
        for b, row in enumerate(rows):
            ids[b, :len(row)] = row
            mask[b, :len(row)] = 1
            offsets[b] += [[0, 0]] * (width - len(row))
        return torch.from_numpy(ids), torch.from_numpy(mask), offsets


def write_card(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    lines = [f"# medclaim tagger: {folder.name}", "",
             f"Trained by `{meta['command']}` on {meta['trained_at']} in {meta['seconds']:.0f} s (seed {meta['seed']}).", "",
             "## Training data", ""]
    lines += [f"- `{d['path']}`: {d['examples']} sentences. {d.get('terms', '')}".rstrip() for d in meta["data"]]
    hp = meta.get("hyperparameters", {})
    cont = meta.get("continued")
    lines += ["", "## Model", "", f"- base: {meta['base_model'] or 'trained from scratch (character vocabulary from the corpus)'}"]
    if cont:
        lines.append(f"- continued from the base: its {cont['characters_kept']:,} characters and labels "
                     f"({', '.join(cont['labels_kept'])}) and all its weights kept; {cont['characters_added']:,} characters "
                     f"and {len(cont['labels_added'])} labels added ({', '.join(cont['labels_added']) or 'none'})")
    if meta.get("encoder"):
        rows = meta.get("pretrained_rows") or {}
        if "lstm_tensors" in rows:
            lines.append(f"- pretrained language model: `{meta['encoder']}` (its {rows['chars']:,} characters first in the "
                         f"vocabulary, its bigram buckets and {rows['lstm_tensors']} BiLSTM tensors; the lexicon "
                         f"features' inputs started fresh)")
        else:
            lines.append(f"- pretrained vectors: `{meta['encoder']}` ({rows.get('chars', 0):,} characters, "
                         f"{rows.get('bigram_buckets', 0):,} bigram buckets set from it)")
    lines += [
              f"- architecture: {meta.get('arch') or 'the base model with a token-classification head'}"
              + (" with an inner layer (entities inside another: a second classifier and CRF over the same states)"
                 if meta.get("inner_layer") else ""),
              f"- lexicon features: {', '.join(hp.get('lexicon_features') or []) or 'none'}"
              + (f" (typed terms from {', '.join(hp['lexicon_files'])} and the built-in lexicon)" if hp.get("lexicon_files") else ""),
              *([f"- adversarial training: the character and bigram tables moved by {meta['adversarial']} along "
                  "their normalised gradient for a second loss each batch"] if meta.get("adversarial") else []),
              f"- labels: {', '.join(meta['labels'])}", f"- best epoch: {meta['best_epoch']}", "",
              "## Dev scores (strict span match" + ("; nested spans scored, as the dev data annotates them)"
                                                    if meta["dev"].get("nested") else ")"),
              "", "| label | P | R | F1 | support |", "|---|---|---|---|---|"]
    for label, s in meta["dev"]["per_label"].items():
        lines.append(f"| {label} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | {s['support']} |")
    m = meta["dev"]["micro"]
    lines.append(f"| **micro** | {m['precision']:.4f} | {m['recall']:.4f} | **{m['f1']:.4f}** | {m['support']} |")
    write_model_card(folder, "\n".join(lines))
