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

from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoConfig, AutoModelForTokenClassification, PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import TokenClassifierOutput

from .layers import DEFAULTS, MODEL_TYPE, LSTMCRFLayers

D = DEFAULTS


class MedclaimTaggerConfig(PretrainedConfig):
    model_type = MODEL_TYPE

    def __init__(self, vocab_size: int = D["vocab_size"], char_dim: int = D["char_dim"],
                 bigram_buckets: int = D["bigram_buckets"], bigram_dim: int = D["bigram_dim"],
                 lexicon_size: int = D["lexicon_size"], lexicon_dim: int = D["lexicon_dim"],
                 hidden_size: int = D["hidden_size"], num_layers: int = D["num_layers"], dropout: float = D["dropout"],
                 lexicon_sources: list | None = None, inner_layer: bool = D["inner_layer"], **kwargs) -> None:
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
        self.inner_layer = inner_layer


@dataclass
class TaggerOutput(TokenClassifierOutput):
    """The outer layer's ``logits`` and, asked for with ``inner=True``, the inner layer's."""
    inner_logits: torch.FloatTensor | None = None


class MedclaimTaggerForTokenClassification(LSTMCRFLayers, PreTrainedModel):
    """The layers of :class:`pipeline.tagger.layers.LSTMCRFLayers` as a transformers model."""
    config_class = MedclaimTaggerConfig
    base_model_prefix = "medclaim"
    main_input_name = "input_ids"

    def __init__(self, config: MedclaimTaggerConfig) -> None:
        super().__init__(config)
        self.build_layers(config)
        self.post_init()

    def _init_weights(self, module) -> None:
        if isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.1)
        elif isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self, input_ids=None, attention_mask=None, labels=None, lexicon_features=None, token_type_ids=None,
                inner_labels=None, inner: bool = False, **kwargs) -> TaggerOutput:
        """``labels`` train the outer layer; ``inner_labels`` (the entities inside another, as BIO
        ids) the inner layer, whose loss is added."""
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        both = self.inner_classifier is not None and (inner or inner_labels is not None)
        logits, inner_logits = self.emissions(input_ids, attention_mask, lexicon_features, inner=True) if both else \
            (self.emissions(input_ids, attention_mask, lexicon_features), None)
        loss = None
        if labels is not None:
            # special tokens carry label -100: they are tagged O for the CRF, which sees whole rows
            mask = attention_mask.bool()
            loss = self.crf.loss(logits, labels.masked_fill(labels < 0, 0), mask)
            if inner_labels is not None and inner_logits is not None:
                loss = loss + self.inner_crf.loss(inner_logits, inner_labels.masked_fill(inner_labels < 0, 0), mask)
        return TaggerOutput(loss=loss, logits=logits, inner_logits=inner_logits)


AutoConfig.register(MedclaimTaggerConfig.model_type, MedclaimTaggerConfig)
AutoModelForTokenClassification.register(MedclaimTaggerConfig, MedclaimTaggerForTokenClassification)
