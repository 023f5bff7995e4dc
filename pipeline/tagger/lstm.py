"""The from-scratch architecture: a character BiLSTM-CRF with bigram and lexicon features, as a
transformers model.

A small BERT trained from scratch on 15,000 sentences barely learns (CMeEE dev F1 0.37 after 28
minutes on 2 cores, see ``benchmarks/tagger/RESULTS.md``); a recurrent encoder with a CRF learns
from little data and runs fast on a CPU. It is written against the transformers model API
(``PretrainedConfig``/``PreTrainedModel``, registered with the Auto classes) so that it saves, loads
and is fine-tuned like any token-classification model, with the same tokenizer and offset mapping.

Inputs per character: its id, a hashed id of the bigram it starts (no bigram vocabulary to store),
and ``lexicon_features``, a multi-hot vector of the lexicon words that cover it (see
:mod:`pipeline.tagger.features`).
"""
from __future__ import annotations

import torch
from torch import nn
from transformers import AutoConfig, AutoModelForTokenClassification, PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import TokenClassifierOutput

from .crf import CRF

BIGRAM_PRIME = 1_000_003


class MedclaimTaggerConfig(PretrainedConfig):
    model_type = "medclaim-lstm-crf"

    def __init__(self, vocab_size: int = 100, char_dim: int = 128, bigram_buckets: int = 50_000, bigram_dim: int = 64,
                 lexicon_size: int = 0, lexicon_dim: int = 64, hidden_size: int = 256, num_layers: int = 1,
                 dropout: float = 0.4, lexicon_sources: list | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.char_dim = char_dim
        self.bigram_buckets = bigram_buckets
        self.bigram_dim = bigram_dim
        self.lexicon_size = lexicon_size
        self.lexicon_dim = lexicon_dim
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.lexicon_sources = lexicon_sources or []


class MedclaimTaggerForTokenClassification(PreTrainedModel):
    config_class = MedclaimTaggerConfig
    base_model_prefix = "medclaim"
    main_input_name = "input_ids"

    def __init__(self, config: MedclaimTaggerConfig) -> None:
        super().__init__(config)
        tags = [config.id2label[i] for i in range(config.num_labels)]
        self.chars = nn.Embedding(config.vocab_size, config.char_dim, padding_idx=0)
        self.bigrams = nn.Embedding(config.bigram_buckets, config.bigram_dim) if config.bigram_buckets else None
        self.lexicon = nn.Linear(config.lexicon_size, config.lexicon_dim) if config.lexicon_size else None
        width = config.char_dim + (config.bigram_dim if self.bigrams is not None else 0) + \
            (config.lexicon_dim if self.lexicon is not None else 0)
        self.dropout = nn.Dropout(config.dropout)
        self.encoder = nn.LSTM(width, config.hidden_size // 2, num_layers=config.num_layers, batch_first=True,
                               bidirectional=True, dropout=config.dropout if config.num_layers > 1 else 0.0)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.crf = CRF(tags)
        self.post_init()

    def _init_weights(self, module) -> None:
        if isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.1)
        elif isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)

    def emissions(self, input_ids, attention_mask, lexicon_features=None):
        parts = [self.chars(input_ids)]
        if self.bigrams is not None:
            nxt = torch.cat([input_ids[:, 1:], torch.zeros_like(input_ids[:, :1])], dim=1)
            parts.append(self.bigrams((input_ids * BIGRAM_PRIME + nxt) % self.config.bigram_buckets))
        if self.lexicon is not None:
            if lexicon_features is None:
                raise ValueError("this model needs lexicon_features (see pipeline.tagger.features)")
            parts.append(torch.relu(self.lexicon(lexicon_features.float())))
        x = self.dropout(torch.cat(parts, dim=-1))
        lengths = attention_mask.sum(1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.encoder(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
        return self.classifier(self.dropout(out))

    def forward(self, input_ids=None, attention_mask=None, labels=None, lexicon_features=None, token_type_ids=None,
                **kwargs) -> TokenClassifierOutput:
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        logits = self.emissions(input_ids, attention_mask, lexicon_features)
        loss = None
        if labels is not None:
            # special tokens carry label -100: they are tagged O for the CRF, which sees whole rows
            mask = attention_mask.bool()
            loss = self.crf.loss(logits, labels.masked_fill(labels < 0, 0), mask)
        return TokenClassifierOutput(loss=loss, logits=logits)

    def decode(self, logits, attention_mask) -> tuple[list[list[int]], list[list[float]]]:
        """Viterbi tags and the marginal probability of each chosen tag."""
        mask = attention_mask.bool()
        paths = self.crf.decode(logits, mask)
        probs = self.crf.marginals(logits, mask).numpy()
        return paths, [probs[b, range(len(path)), path].tolist() for b, path in enumerate(paths)]

AutoConfig.register(MedclaimTaggerConfig.model_type, MedclaimTaggerConfig)
AutoModelForTokenClassification.register(MedclaimTaggerConfig, MedclaimTaggerForTokenClassification)
