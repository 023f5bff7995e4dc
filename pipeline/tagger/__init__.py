"""The statistical entity tagger (transformers): corpora readers, training, evaluation, wrapper."""
