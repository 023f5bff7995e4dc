"""The from-scratch tagger's layers and computations in plain torch, without transformers.

:class:`LSTMCRFLayers` holds what the model is: a character BiLSTM-CRF with bigram and lexicon
features (see :mod:`pipeline.tagger.lstm`). Two classes share it:

- ``MedclaimTaggerForTokenClassification`` (:mod:`pipeline.tagger.lstm`), the transformers model that
  is trained, saved, fine-tuned and loaded through the Auto classes;
- :class:`LSTMCRFRuntime`, which an audit loads straight from the saved ``config.json`` and
  ``model.safetensors``: the same parameters under the same names, so the same outputs, without the
  seconds that importing transformers' modelling code takes at every start.
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import torch
from torch import nn

from .crf import CRF

BIGRAM_PRIME = 1_000_003
# A bigram (the ids of a character and the next) picks its bucket as (a * BIGRAM_PRIME + b) mod
# buckets: with 50,000 buckets that is (3a + b) mod 50,000, and the 99,663 most frequent bigrams of
# real health text share 8,081 buckets. A hash that spreads them (44,387 buckets) was measured and
# let the tagger overfit: CMeEE dev F1 peaked at 0.567 against 0.580 (benchmarks/tagger/RESULTS.md).
MODEL_TYPE = "medclaim-lstm-crf"
# the configuration's defaults (MedclaimTaggerConfig takes them as its keyword defaults)
DEFAULTS = {"vocab_size": 100, "char_dim": 128, "bigram_buckets": 50_000, "bigram_dim": 64, "lexicon_size": 0,
            "lexicon_dim": 64, "hidden_size": 256, "num_layers": 1, "dropout": 0.4, "inner_layer": False}


def bigram_bucket(config, a, b):
    """The bucket of the bigram of ids ``a`` then ``b`` (ints or tensors)."""
    return (a * BIGRAM_PRIME + b) % config.bigram_buckets


class LSTMCRFLayers:
    """Mixed into an ``nn.Module`` that has ``self.config``: builds the layers and computes with them."""

    def build_layers(self, config) -> None:
        tags = [config.id2label[i] for i in range(len(config.id2label))]
        self.chars = nn.Embedding(config.vocab_size, config.char_dim, padding_idx=0)
        self.bigrams = nn.Embedding(config.bigram_buckets, config.bigram_dim) if config.bigram_buckets else None
        self.lexicon = nn.Linear(config.lexicon_size, config.lexicon_dim) if config.lexicon_size else None
        width = config.char_dim + (config.bigram_dim if self.bigrams is not None else 0) + \
            (config.lexicon_dim if self.lexicon is not None else 0)
        self.dropout = nn.Dropout(config.dropout)
        self.encoder = nn.LSTM(width, config.hidden_size // 2, num_layers=config.num_layers, batch_first=True,
                               bidirectional=True, dropout=config.dropout if config.num_layers > 1 else 0.0)
        self.classifier = nn.Linear(config.hidden_size, len(tags))
        self.crf = CRF(tags)
        # the inner layer: a second classifier and CRF over the same states, tagging the entities that
        # lie inside another (a BODY inside a SYMPTOM: 肺 in 肺内病变), which one BIO layer cannot hold
        self.inner_classifier = nn.Linear(config.hidden_size, len(tags)) if getattr(config, "inner_layer", False) else None
        self.inner_crf = CRF(tags) if self.inner_classifier is not None else None

    def emissions(self, input_ids, attention_mask, lexicon_features=None, inner: bool = False):
        """The outer layer's emissions (B, T, tags); with ``inner`` (a model with an inner layer) the
        pair (outer, inner)."""
        parts = [self.chars(input_ids)]
        if self.bigrams is not None:
            nxt = torch.cat([input_ids[:, 1:], torch.zeros_like(input_ids[:, :1])], dim=1)
            parts.append(self.bigrams(bigram_bucket(self.config, input_ids, nxt)))
        if self.lexicon is not None:
            if lexicon_features is None:
                raise ValueError("this model needs lexicon_features (see pipeline.tagger.features)")
            parts.append(torch.relu(self.lexicon(lexicon_features.float())))
        x = self.dropout(torch.cat(parts, dim=-1))
        lengths = attention_mask.sum(1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.encoder(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
        states = self.dropout(out)
        if inner and self.inner_classifier is not None:
            return self.classifier(states), self.inner_classifier(states)
        return self.classifier(states)

    def decode(self, logits, attention_mask, crf=None) -> tuple[list[list[int]], list[list[float] | None]]:
        """Viterbi tags and the marginal probability of each chosen tag, for the rows that hold an
        entity tag; a row tagged O throughout gets None (its marginals would score no span, and
        forward-backward over it would cost as much as over any other row). ``crf`` is the outer
        layer's unless given (``self.inner_crf`` for the inner layer's emissions)."""
        crf = self.crf if crf is None else crf
        mask = attention_mask.bool()
        paths = crf.decode(logits, mask)
        outside = crf.tags.index("O") if "O" in crf.tags else -1
        tagged = [b for b, path in enumerate(paths) if any(tag != outside for tag in path)]
        conf: list[list[float] | None] = [None] * len(paths)
        if tagged:
            rows = torch.tensor(tagged)
            probs = crf.marginals(logits[rows], mask[rows]).numpy()
            for k, b in enumerate(tagged):
                conf[b] = probs[k, range(len(paths[b])), paths[b]].tolist()
        return paths, conf


class LSTMCRFRuntime(LSTMCRFLayers, nn.Module):
    """The saved model for inference only: ``LSTMCRFRuntime.load(folder)``; ``model(**inputs).logits``
    and ``model.decode`` as on the transformers model."""

    def __init__(self, config: SimpleNamespace) -> None:
        nn.Module.__init__(self)
        self.config = config
        self.build_layers(config)

    @classmethod
    def load(cls, folder: str | Path) -> "LSTMCRFRuntime":
        from safetensors.torch import load_file

        folder = Path(folder)
        model = cls(read_config(folder))
        state = load_file(str(folder / "model.safetensors"))
        model.load_state_dict(state, strict=True)
        return model.eval()

    def forward(self, input_ids, attention_mask, lexicon_features=None, inner: bool = False, **kwargs) -> SimpleNamespace:
        if inner and self.inner_classifier is not None:
            logits, inner_logits = self.emissions(input_ids, attention_mask, lexicon_features, inner=True)
            return SimpleNamespace(logits=logits, inner_logits=inner_logits)
        return SimpleNamespace(logits=self.emissions(input_ids, attention_mask, lexicon_features), inner_logits=None)


def read_config(folder: Path) -> SimpleNamespace:
    """A saved model's ``config.json`` as attributes, with integer label ids."""
    data = json.loads((folder / "config.json").read_text("utf-8"))
    values = {**DEFAULTS, **data}
    values["id2label"] = {int(k): v for k, v in data["id2label"].items()}
    values["label2id"] = {v: k for k, v in values["id2label"].items()}
    values["lexicon_sources"] = data.get("lexicon_sources") or []
    return SimpleNamespace(**values)


def runtime_loadable(folder: Path) -> bool:
    """Whether ``folder`` holds a from-scratch model saved as safetensors (the runtime can load it)."""
    try:
        data = json.loads((folder / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("model_type") == MODEL_TYPE and (folder / "model.safetensors").is_file()
