"""Starting a BiLSTM-CRF tagger from what is already learned.

Two starts, both for ``medclaim train``:

- **Continue a medclaim tagger** (``--base-model DIR`` or ``--base-model default``): the new model
  keeps the base model's character vocabulary, labels, lexicon features and every weight, and adds
  the characters and labels of the new corpus after them (new rows start fresh; the CRF's allowed
  transitions are made for the whole new tag set). Fine-tuning the shipped model on a hospital's
  notes or on a reviewed export thus starts from the shipped model's knowledge instead of from zero.
- **Start from pretrained vectors** (``--encoder DIR``, made by ``medclaim pretrain``): the character
  table takes the pretrained vector of each character, and each bigram bucket the vector of the most
  frequent pretrained bigram that hashes into it (:mod:`pipeline.tagger.pretrain`).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .layers import MODEL_TYPE, bigram_bucket
from .model import SPECIALS


def is_medclaim_tagger(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding a medclaim BiLSTM-CRF tagger (``model_type`` medclaim-lstm-crf)."""
    try:
        data = json.loads((Path(path) / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("model_type") == MODEL_TYPE


def char_vocabulary(tokenizer) -> list[str]:
    """A character tokenizer's tokens in id order."""
    vocab = tokenizer.get_vocab()
    return [tok for tok, _ in sorted(vocab.items(), key=lambda kv: kv[1])]


def extended_vocabulary(base: list[str], texts, extra: list[str] = ()) -> list[str]:
    """``base`` (in its order), then the characters of ``texts`` and ``extra`` that it lacks, the most
    frequent first."""
    from collections import Counter

    have = set(base)
    counts = Counter(ch for t in texts for ch in t if not ch.isspace() and ch not in have)
    for ch in extra:
        if ch not in have and not ch.isspace() and len(ch) == 1:
            counts[ch] += 0
    return list(base) + [ch for ch, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


class BaseTagger:
    """A medclaim tagger to continue: its folder, configuration, tokens and labels."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not is_medclaim_tagger(self.path):
            raise ValueError(f"{path}: not a medclaim tagger folder (config.json with model_type {MODEL_TYPE})")
        self.config = json.loads((self.path / "config.json").read_text("utf-8"))
        self.tags = [self.config["id2label"][str(i)] for i in range(len(self.config["id2label"]))]
        self.labels = sorted({t[2:] for t in self.tags if t != "O"}, key=lambda l: self.tags.index("B-" + l))
        try:
            vocab = json.loads((self.path / "tokenizer.json").read_text("utf-8"))["model"]["vocab"]
        except (OSError, ValueError, KeyError, TypeError):
            raise ValueError(f"{path}: no character tokenizer (tokenizer.json) beside the model") from None
        self.tokens = [tok for tok, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
        if self.tokens[:len(SPECIALS)] != SPECIALS or not (self.path / "model.safetensors").is_file():
            raise ValueError(f"{path}: not a medclaim character tagger (special tokens or model.safetensors missing)")
        self.sources = list(self.config.get("lexicon_sources") or [])

    def copy_features(self, output: Path) -> list[str]:
        """The base model's lexicon files, copied beside the new model (the same features)."""
        for name in ("lexicon.tsv", "gazetteer.json"):
            if name in self.sources and (self.path / name).is_file():
                shutil.copyfile(self.path / name, output / name)
        return self.sources


def continued_tags(base_tags: list[str], labels: list[str]) -> list[str]:
    """The base model's tags in their order, then B-/I- tags of the labels it lacks."""
    have = {t[2:] for t in base_tags if t != "O"}
    return list(base_tags) + [f"{p}-{l}" for l in labels if l not in have for p in ("B", "I")]


def load_base_weights(model, base: BaseTagger) -> None:
    """Copy the base model's weights into ``model`` (whose vocabulary and tags extend the base's, in
    the same order): a grown table keeps the base's rows first."""
    import torch
    from safetensors.torch import load_file

    state = load_file(str(base.path / "model.safetensors"))
    own = model.state_dict()
    with torch.no_grad():
        for name, value in state.items():
            if name not in own:
                raise ValueError(f"{base.path}: weight {name} has no place in the new model")
            target = own[name]
            if target.shape == value.shape:
                target.copy_(value)
                continue
            if target.dim() != value.dim() or any(t < v for t, v in zip(target.shape, value.shape)):
                raise ValueError(f"{base.path}: weight {name} {tuple(value.shape)} does not fit {tuple(target.shape)}")
            index = tuple(slice(0, n) for n in value.shape)
            target[index] = value


def initialise_from_encoder(model, tokens: list[str], encoder) -> dict[str, int]:
    """Set the character rows and bigram buckets of ``model`` from pretrained vectors (their sizes
    must match the model's); returns how many rows were set."""
    import numpy
    import torch

    config = model.config
    if encoder.char_vectors.shape[1] != config.char_dim:
        raise ValueError(f"the encoder's characters have {encoder.char_vectors.shape[1]} dimensions, "
                         f"the tagger {config.char_dim}")
    index = {tok: i for i, tok in enumerate(tokens)}
    done = {"chars": 0, "bigram_buckets": 0}
    with torch.no_grad():
        table = model.chars.weight
        scale = float(table[len(SPECIALS):].std()) / max(float(encoder.char_vectors.std()), 1e-6)
        for ch, vec in zip(encoder.chars, encoder.char_vectors):
            i = index.get(ch)
            if i is not None and i >= len(SPECIALS):
                table[i] = torch.from_numpy(vec * scale)
                done["chars"] += 1
        if model.bigrams is not None and encoder.bigram_vectors.shape[1] == config.bigram_dim:
            buckets = config.bigram_buckets
            table = model.bigrams.weight
            scale = float(table.std()) / max(float(encoder.bigram_vectors.std()), 1e-6)
            seen = numpy.zeros(buckets, dtype=bool)
            for bigram, vec in zip(encoder.bigrams, encoder.bigram_vectors):  # most frequent first
                a, b = index.get(bigram[0]), index.get(bigram[1])
                if a is None or b is None:
                    continue
                bucket = bigram_bucket(config, a, b)
                if not seen[bucket]:
                    seen[bucket] = True
                    table[bucket] = torch.from_numpy(vec * scale)
            done["bigram_buckets"] = int(seen.sum())
    return done
