"""Train and evaluate the tagger (``medclaim train``, ``medclaim evaluate``)."""
from __future__ import annotations

import math
import random
import sys
import time
from pathlib import Path

from .corpora import Example, read_corpus
from .metrics import span_scores
from .model import MAX_LENGTH, Tagger, bio_labels, char_tokenizer, encode, tokenizer_of, windows, write_card

ARCHS = ("lstm-crf", "bert")
SCRATCH = {"hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4, "intermediate_size": 1024}
LSTM = {"char_dim": 128, "bigram_buckets": 50_000, "bigram_dim": 64, "lexicon_dim": 64, "hidden_size": 256,
        "num_layers": 1, "dropout": 0.4}


def _seed_everything(seed: int) -> None:
    import numpy
    import torch

    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def _batches(features: list[dict], batch_size: int, rng: random.Random, shuffle: bool):
    """Batches of similar length (less padding), in random order when training."""
    order = sorted(range(len(features)), key=lambda i: len(features[i]["input_ids"]))
    chunks = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    if shuffle:
        rng.shuffle(chunks)
    return chunks


def _collate(rows: list[dict], idx: list[int], pad_id: int, features: bool) -> dict:
    import torch

    width = max(len(rows[i]["input_ids"]) for i in idx)
    ids, mask, labels, inner = [], [], [], []
    for i in idx:
        r = rows[i]
        n = len(r["input_ids"])
        ids.append(r["input_ids"] + [pad_id] * (width - n))
        mask.append([1] * n + [0] * (width - n))
        labels.append(r["labels"] + [-100] * (width - n))
        if r.get("inner_labels"):
            inner.append(r["inner_labels"] + [-100] * (width - n))
    batch = {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask), "labels": torch.tensor(labels)}
    if inner:
        batch["inner_labels"] = torch.tensor(inner)
    if features:
        from .features import dense

        batch["lexicon_features"] = dense([rows[i]["lexicon"] for i in idx], width)
    return batch


def has_nested(examples: list[Example]) -> bool:
    """Whether some example annotates a span inside another (CMeEE does; most flat corpora do not)."""
    for ex in examples:
        spans = sorted(set((s, e) for s, e, _ in ex.spans), key=lambda x: (x[0], -x[1]))
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                return True
    return False


def evaluate_examples(tagger: Tagger, examples: list[Example], batch_size: int = 64, nested: bool | None = None,
                      min_score: float = 0.0) -> dict:
    """Strict span scores of ``tagger`` on ``examples``. ``nested`` (default: whether the examples
    themselves annotate nested spans) adds the inner layer's spans of a model that has one: a corpus
    that annotates no span inside another can only count them as false alarms. ``min_score`` leaves
    out spans scoring less (0.5: the spans an audit takes from the model)."""
    if nested is None:
        nested = has_nested(examples)
    predictions = tagger.predict([ex.text for ex in examples], batch_size=batch_size, nested=nested)
    scores = span_scores([ex.spans for ex in examples],
                         [[(s, e, l) for s, e, l, score in p if score >= min_score] for p in predictions])
    scores["nested"] = bool(nested and tagger.has_inner_layer)
    scores["min_score"] = min_score
    return scores


def _read_counted(files, fmt: str, label_map: str | None, counts: dict[str, int]) -> list[Example]:
    out: list[Example] = []
    for f in files:
        examples = list(read_corpus([f], fmt, label_map))
        counts[str(f)] = len(examples)
        out.extend(examples)
    return out


def _windowed(examples: list[Example]) -> list[Example]:
    """Long texts cut into the pieces the tagger reads (spans that cross a cut are dropped)."""
    out = []
    for ex in examples:
        for s, e in windows(ex.text):
            out.append(Example(ex.text[s:e], [(a - s, b - s, l) for a, b, l in ex.spans if a >= s and b <= e], ex.source))
    return out


def _build_model(arch: str, base_model: str | None, tokenizer, tags: list[str], scratch: dict | None, n_features: int,
                 sources: list[str], inner: bool = False):
    from transformers import AutoModelForTokenClassification, BertConfig, BertForTokenClassification

    id2label = dict(enumerate(tags))
    label2id = {t: i for i, t in id2label.items()}
    if base_model:
        return AutoModelForTokenClassification.from_pretrained(
            base_model, num_labels=len(tags), id2label=id2label, label2id=label2id, ignore_mismatched_sizes=True)
    if arch == "bert":
        config = BertConfig(vocab_size=tokenizer.vocab_size, num_labels=len(tags), id2label=id2label, label2id=label2id,
                            max_position_embeddings=MAX_LENGTH, **{**SCRATCH, **(scratch or {})})
        return BertForTokenClassification(config)
    from .lstm import MedclaimTaggerConfig, MedclaimTaggerForTokenClassification

    config = MedclaimTaggerConfig(vocab_size=tokenizer.vocab_size, num_labels=len(tags), id2label=id2label,
                                  label2id=label2id, lexicon_size=n_features, lexicon_sources=sources,
                                  inner_layer=inner, **{**LSTM, **(scratch or {})})
    return MedclaimTaggerForTokenClassification(config)


def train(train_files: list[str], dev_file: str | list[str], output: str, fmt: str = "auto", label_map: str | None = None,
          base_model: str | None = None, arch: str = "lstm-crf", epochs: int = 10, batch_size: int = 32,
          lr: float | None = None, max_steps: int | None = None, seed: int = 13, scratch: dict | None = None,
          progress: bool = True, command: str = "", data_terms: dict[str, str] | None = None,
          lexicon_features: bool = True, lexicon_files: list[str] = (), gazetteer: bool = False,
          encoder: str | None = None, freeze_encoder: bool = False, nested: bool | None = None,
          adversarial: float = 0.0, log=print) -> dict:
    """Train a token-classification model; the best epoch by dev micro F1 is saved to ``output``.

    ``base_model`` fine-tunes a pretrained model (its own tokenizer, no lexicon features). Without it,
    ``arch`` picks the from-scratch architecture: ``lstm-crf`` (the default; see
    :mod:`pipeline.tagger.lstm`) takes lexicon features from the built-in lexicon and
    ``lexicon_files``, and with ``gazetteer`` from the training corpus's own entity names: each half
    of the training data is featured from the other half's names, so the model does not learn to
    trust names it has always seen. ``bert`` is a small BERT with no features.

    A ``base_model`` that is itself a medclaim tagger (``"default"`` names the shipped one) is
    continued: its vocabulary, labels, lexicon features and weights are kept and the corpus's new
    characters and labels added (:mod:`pipeline.tagger.finetune`). ``encoder`` (a ``medclaim pretrain``
    folder) starts a new lstm-crf tagger's character and bigram tables from pretrained vectors.

    ``nested`` gives a new lstm-crf tagger an inner layer for the entities inside another (default:
    when the training data annotates such spans); a continued tagger keeps its base's layers.
    """
    import datasets
    import torch
    from tqdm import tqdm
    from transformers import get_linear_schedule_with_warmup

    started = time.time()
    _seed_everything(seed)
    if not progress:
        import transformers

        datasets.disable_progress_bars()
        transformers.utils.logging.disable_progress_bar()
    if arch not in ARCHS:
        raise ValueError(f"--arch {arch}: unknown architecture (one of {', '.join(ARCHS)})")
    dev_files = [dev_file] if isinstance(dev_file, (str, Path)) else list(dev_file)
    counts: dict[str, int] = {}  # examples a file, for the model card
    train_ex = _read_counted(train_files, fmt, label_map, counts)
    dev_ex = _read_counted(dev_files, fmt, label_map, counts)
    if not train_ex:
        raise ValueError("no training examples")
    from . import finetune

    if base_model == "default":
        from . import default_model_dir

        shipped = default_model_dir()
        if shipped is None:
            raise ValueError("--base-model default: this install has no shipped tagger (models/medclaim-zh)")
        base_model = str(shipped)
    base = finetune.BaseTagger(base_model) if base_model and finetune.is_medclaim_tagger(base_model) else None
    if encoder and (base_model or arch != "lstm-crf"):
        raise ValueError("--encoder starts a new lstm-crf tagger; it does not go with --base-model or --arch bert")
    pretrained = lm = None
    if encoder:
        from .charlm import LanguageModel, is_language_model
        from .pretrain import Encoder

        if is_language_model(encoder):  # the tagger's own layers, pretrained (medclaim pretrain --method lm)
            lm = LanguageModel.load(encoder)
            clash = {k: v for k, v in (scratch or {}).items() if k in lm.architecture and lm.architecture[k] != v}
            if clash:
                raise ValueError(f"--encoder {encoder}: its layers are {lm.architecture}; not {clash}")
            scratch = {**(scratch or {}), **lm.architecture}
        else:
            pretrained = Encoder.load(encoder)
    labels = sorted({l for ex in train_ex for _, _, l in ex.spans})
    if base is not None:
        tags = finetune.continued_tags(base.tags, labels)
        labels = [t[2:] for t in tags if t.startswith("B-")]
    else:
        tags = bio_labels(labels)
    label2id = {t: i for i, t in enumerate(tags)}
    use_features = lexicon_features and not (base_model and base is None) and arch == "lstm-crf"
    if nested is None:
        nested = has_nested(train_ex)
    inner = bool(base.config.get("inner_layer")) if base is not None else nested and arch == "lstm-crf" and not base_model
    texts = [ex.text for ex in train_ex]
    if base is not None:
        tokens = finetune.extended_vocabulary(base.tokens, texts)
        tokenizer = tokenizer_of(tokens)
        use_features = bool(base.sources)
    elif base_model:
        tokenizer = _pretrained_tokenizer(base_model)
    elif pretrained is not None:
        tokens = finetune.extended_vocabulary(finetune.char_vocabulary(char_tokenizer(texts)), [], pretrained.chars)
        tokenizer = tokenizer_of(tokens)
    elif lm is not None:  # the language model's ids first: its bigram buckets keep their meaning
        tokenizer = tokenizer_of(finetune.extended_vocabulary(lm.tokens, texts))
    else:
        tokenizer = char_tokenizer(texts)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    extractors, full, sources = [None, None], None, []
    grown: dict = {}
    if base is not None and use_features:
        from . import features as F

        sources = base.copy_features(out)
        full = F.load(out, sources)
        extractors = [full, full]
    elif use_features:
        from . import features as F

        typed = F.builtin_terms()
        for path in lexicon_files:
            for term, labs in F.read_term_file(path).items():
                typed.setdefault(term, set()).update(labs)
        names = F.build_gazetteer(train_ex) if gazetteer else None
        sources = F.save(out, typed, names)
        full = F.LexiconFeatures(typed, names)
        if gazetteer:
            halves = [train_ex[0::2], train_ex[1::2]]
            extractors = [F.LexiconFeatures(typed, F.build_gazetteer(halves[1])),
                          F.LexiconFeatures(typed, F.build_gazetteer(halves[0]))]
        else:
            extractors = [full, full]
    if base is not None:
        model = _continued_model(base, tokenizer, tags)
        finetune.load_base_weights(model, base)
        log(f"continuing {base.path}: {len(base.tokens):,} characters and {len(base.labels)} labels kept, "
            f"{len(tokenizer) - len(base.tokens):,} characters and {len(labels) - len(base.labels)} labels added")
    else:
        from .features import SIZE

        model = _build_model(arch, base_model, tokenizer, tags, scratch, SIZE if use_features else 0, sources, inner)
    if lm is not None:
        grown = lm.initialise(model)
        log(f"pretrained language model {encoder}: {grown['chars']:,} characters, {grown['lstm_tensors']} BiLSTM tensors")
    if pretrained is not None:
        grown = finetune.initialise_from_encoder(model, finetune.char_vocabulary(tokenizer), pretrained)
        log(f"pretrained vectors from {encoder}: {grown['chars']:,} characters, {grown['bigram_buckets']:,} bigram buckets")
        if freeze_encoder:  # the tables stay as pretrained: the corpus cannot overwrite what the text taught
            for table in (model.chars, model.bigrams):
                if table is not None:
                    table.weight.requires_grad_(False)
    lr = lr or (3e-4 if base is not None else 5e-5 if base_model else 5e-4 if arch == "bert" else 2e-3)
    pieces = [(i % 2, piece) for i, ex in enumerate(train_ex) for piece in _windowed([ex])]
    # datasets: the encoding runs as a map over an Arrow table (parallel with num_proc for large corpora)
    table = datasets.Dataset.from_list([{"text": ex.text, "starts": [s for s, _, _ in ex.spans],
                                         "ends": [e for _, e, _ in ex.spans], "labels": [l for _, _, l in ex.spans],
                                         "half": half} for half, ex in pieces])

    def encode_row(r):
        enc = encode(tokenizer, r["text"], list(zip(r["starts"], r["ends"], r["labels"])), label2id, inner=inner)
        feats = extractors[r["half"]]
        enc["lexicon"] = [list(p) for p in feats.token_features(r["text"], enc["offsets"])] if feats else []
        return enc

    encoded = table.map(encode_row, remove_columns=["text", "starts", "ends", "half"],
                        new_fingerprint=f"medclaim-{seed}-{len(pieces)}-{time.time()}")
    rows = [{"input_ids": r["input_ids"], "labels": r["labels"], "lexicon": r["lexicon"],
             "inner_labels": r["inner_labels"] if inner else None} for r in encoded]
    rng = random.Random(seed)
    steps_per_epoch = math.ceil(len(rows) / batch_size)
    total = min(max_steps or steps_per_epoch * epochs, steps_per_epoch * epochs)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, max(1, int(0.06 * total)), total)
    best, best_epoch, best_scores, step, history = -1.0, 0, None, 0, []
    for epoch in range(1, epochs + 1):
        model.train()
        chunks = _batches(rows, batch_size, rng, shuffle=True)
        bar = tqdm(chunks, desc=f"epoch {epoch}", disable=not progress, file=sys.stderr, leave=False)
        losses = []
        for idx in bar:
            batch = _collate(rows, idx, tokenizer.pad_token_id, use_features)
            loss = model(**batch).loss
            loss.backward()
            if adversarial:
                _adversarial_step(model, batch, adversarial)
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0 if arch == "lstm-crf" and (base is not None or not base_model) else 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.4f}")
            step += 1
            if step >= total:
                break
        model.eval()
        scores = evaluate_examples(Tagger(model, tokenizer, dict(enumerate(tags)), full), dev_ex)
        f1 = scores["micro"]["f1"]
        history.append({"epoch": epoch, "loss": sum(losses) / max(1, len(losses)), "dev_f1": f1,
                        "seconds": round(time.time() - started, 1)})
        log(f"epoch {epoch}: loss {history[-1]['loss']:.4f}, dev micro F1 {f1:.4f} ({history[-1]['seconds']:.0f} s)")
        if f1 > best:
            best, best_epoch, best_scores = f1, epoch, scores
            model.save_pretrained(out)
            tokenizer.save_pretrained(out)
        if step >= total:
            break
    terms = data_terms or {}
    meta = {"command": command, "trained_at": time.strftime("%Y-%m-%d %H:%M"), "seconds": time.time() - started,
            "seed": seed, "base_model": base_model, "arch": "lstm-crf" if base is not None else None if base_model else arch,
            "labels": labels, "inner_layer": inner, "encoder": encoder, "freeze_encoder": bool(encoder and freeze_encoder),
            "continued": {"labels_kept": base.labels, "labels_added": [l for l in labels if l not in base.labels],
                          "characters_kept": len(base.tokens), "characters_added": len(tokenizer) - len(base.tokens)}
            if base is not None else None,
            "pretrained_rows": grown if pretrained is not None or lm is not None else None,
            "adversarial": adversarial or None, "best_epoch": best_epoch, "history": history,
            "data": [{"path": str(f), "examples": counts[str(f)], "terms": terms.get(str(f), "")} for f in train_files]
                    + [{"path": str(f), "examples": counts[str(f)], "terms": (terms.get(str(f), "") + " (dev)").strip()}
                       for f in dev_files],
            "dev": best_scores, "hyperparameters": {"epochs": epochs, "batch_size": batch_size, "lr": lr,
                                                    "max_steps": max_steps, "lexicon_features": sources,
                                                    "lexicon_files": [str(p) for p in lexicon_files],
                                                    **_architecture(base, base_model, arch, scratch)}}
    write_card(out, meta)
    return meta


def _adversarial_step(model, batch: dict, epsilon: float) -> None:
    """Adversarial training (the fast gradient method): each embedding table (the from-scratch
    tagger's characters and bigram buckets; a BERT's embeddings) is moved by ``epsilon`` along its
    normalised gradient, the loss there adds its gradient to the batch's, and the tables are put back
    (the move subtracted again: equal to rounding). The model learns to keep its tags under the small
    change of its inputs that hurts it most."""
    import torch

    tables = [m.weight for m in model.modules() if isinstance(m, torch.nn.Embedding)
              and m.weight.requires_grad and m.weight.grad is not None]
    saved = []
    for w in tables:
        norm = torch.linalg.vector_norm(w.grad)
        if torch.isfinite(norm) and norm > 0:
            delta = epsilon * w.grad / norm
            w.data.add_(delta)
            saved.append((w, delta))
    if saved:
        model(**batch).loss.backward()
        for w, delta in saved:
            w.data.sub_(delta)


def _architecture(base, base_model: str | None, arch: str, scratch: dict | None) -> dict:
    """The architecture's hyperparameters for the card: the base's when continuing one, none for a
    transformers base model, else the from-scratch defaults with the user's changes."""
    if base is not None:
        return {k: base.config[k] for k in LSTM if k in base.config}
    if base_model:
        return {}
    return {**(SCRATCH if arch == "bert" else LSTM), **(scratch or {})}


def _continued_model(base, tokenizer, tags: list[str]):
    """A BiLSTM-CRF shaped like ``base`` with room for ``tokenizer``'s characters and ``tags``."""
    from .lstm import MedclaimTaggerConfig, MedclaimTaggerForTokenClassification

    keep = {k: v for k, v in base.config.items() if k in (*LSTM, "lexicon_size", "lexicon_sources", "inner_layer")}
    id2label = dict(enumerate(tags))
    config = MedclaimTaggerConfig(vocab_size=len(tokenizer), num_labels=len(tags), id2label=id2label,
                                  label2id={t: i for i, t in id2label.items()}, **keep)
    return MedclaimTaggerForTokenClassification(config)


def _pretrained_tokenizer(name: str):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(name)
