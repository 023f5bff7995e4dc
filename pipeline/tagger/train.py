"""Train and evaluate the tagger (``medclaim train``, ``medclaim evaluate``)."""
from __future__ import annotations

import math
import random
import sys
import time
from pathlib import Path

from .corpora import Example, read_corpus
from .metrics import span_scores
from .model import Tagger, bio_labels, char_tokenizer, encode, write_card

SCRATCH = {"hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4, "intermediate_size": 1024}


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


def _collate(features: list[dict], idx: list[int], pad_id: int):
    import torch

    width = max(len(features[i]["input_ids"]) for i in idx)
    ids, mask, labels, types = [], [], [], []
    for i in idx:
        f = features[i]
        n = len(f["input_ids"])
        ids.append(f["input_ids"] + [pad_id] * (width - n))
        mask.append([1] * n + [0] * (width - n))
        labels.append(f["labels"] + [-100] * (width - n))
        types.append(f.get("token_type_ids", [0] * n) + [0] * (width - n))
    return torch.tensor(ids), torch.tensor(mask), torch.tensor(labels), torch.tensor(types)


def evaluate_examples(tagger: Tagger, examples: list[Example], batch_size: int = 64) -> dict:
    predictions = tagger.predict([ex.text for ex in examples], batch_size=batch_size)
    return span_scores([ex.spans for ex in examples], [[(s, e, l) for s, e, l, _ in p] for p in predictions])


def train(train_files: list[str], dev_file: str, output: str, fmt: str = "auto", label_map: str | None = None,
          base_model: str | None = None, epochs: int = 10, batch_size: int = 32, lr: float | None = None,
          max_steps: int | None = None, seed: int = 13, scratch: dict | None = None, progress: bool = True,
          command: str = "", data_terms: dict[str, str] | None = None, lexicon_features: bool = True,
          gazetteer: bool = False, log=print) -> dict:
    """Train a token-classification model; the best epoch by dev micro F1 is saved to ``output``.

    A model trained from scratch gets lexicon features (``lexicon_features``); a pretrained base
    model keeps its own token types and gets none. With ``gazetteer`` the entity names of the
    training corpus become a third feature (saved as ``gazetteer.json`` with the model); each half of
    the training data gets its features from the other half's names, so the model does not learn to
    trust names it has always seen.
    """
    import datasets
    import torch
    from tqdm import tqdm
    from transformers import (AutoModelForTokenClassification, AutoTokenizer, BertConfig,
                              BertForTokenClassification, get_linear_schedule_with_warmup)

    started = time.time()
    _seed_everything(seed)
    if not progress:
        datasets.disable_progress_bars()
    train_ex = [ex for f in train_files for ex in read_corpus([f], fmt, label_map)]
    dev_ex = list(read_corpus([dev_file], fmt, label_map))
    if not train_ex:
        raise ValueError("no training examples")
    labels = sorted({l for ex in train_ex for _, _, l in ex.spans})
    tags = bio_labels(labels)
    label2id = {t: i for i, t in enumerate(tags)}
    id2label = {i: t for t, i in label2id.items()}
    features = lexicon_features and not base_model
    if base_model:
        tokenizer = AutoTokenizer.from_pretrained(base_model)
        model = AutoModelForTokenClassification.from_pretrained(
            base_model, num_labels=len(tags), id2label=id2label, label2id=label2id, ignore_mismatched_sizes=True)
        lr = lr or 5e-5
    else:
        tokenizer = char_tokenizer([ex.text for ex in train_ex])
        from .features import N_TYPES, N_TYPES_GAZ, NAME, NAME_GAZ

        gazetteer = gazetteer and features
        n_types = (N_TYPES_GAZ if gazetteer else N_TYPES) if features else 2
        config = BertConfig(vocab_size=tokenizer.vocab_size, num_labels=len(tags), id2label=id2label,
                            label2id=label2id, max_position_embeddings=512, type_vocab_size=n_types,
                            **(scratch or SCRATCH))
        if features:
            config.medclaim_features = NAME_GAZ if gazetteer else NAME
        model = BertForTokenClassification(config)
        lr = lr or 5e-4
    # datasets: the encoding runs as a map over an Arrow table (parallel with num_proc for large corpora)
    extractors, full = [features, features], features
    if base_model is None and gazetteer:
        import json

        from .features import FeatureExtractor, build_gazetteer

        halves = [train_ex[0::2], train_ex[1::2]]
        extractors = [FeatureExtractor(build_gazetteer(halves[1])), FeatureExtractor(build_gazetteer(halves[0]))]
        names = build_gazetteer(train_ex)
        full = FeatureExtractor(names)
        Path(output).mkdir(parents=True, exist_ok=True)
        (Path(output) / "gazetteer.json").write_text(json.dumps(names, ensure_ascii=False), "utf-8")
    table = datasets.Dataset.from_list([{"text": ex.text, "starts": [s for s, _, _ in ex.spans],
                                         "ends": [e for _, e, _ in ex.spans], "labels": [l for _, _, l in ex.spans],
                                         "half": i % 2} for i, ex in enumerate(train_ex)])
    encoded = table.map(lambda r: encode(tokenizer, r["text"], list(zip(r["starts"], r["ends"], r["labels"])), label2id,
                                         features=extractors[r["half"]]),
                        remove_columns=["text", "starts", "ends", "half"])
    rows = [{"input_ids": r["input_ids"], "labels": r["labels"], "token_type_ids": r["token_type_ids"]}
            for r in encoded] if features else [{"input_ids": r["input_ids"], "labels": r["labels"]} for r in encoded]
    rng = random.Random(seed)
    steps_per_epoch = math.ceil(len(rows) / batch_size)
    total = min(max_steps or steps_per_epoch * epochs, steps_per_epoch * epochs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, max(1, int(0.06 * total)), total)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    best, best_epoch, step, history = -1.0, 0, 0, []
    for epoch in range(1, epochs + 1):
        model.train()
        chunks = _batches(rows, batch_size, rng, shuffle=True)
        bar = tqdm(chunks, desc=f"epoch {epoch}", disable=not progress, file=sys.stderr, leave=False)
        losses = []
        for idx in bar:
            ids, mask, lab, types = _collate(rows, idx, tokenizer.pad_token_id)
            loss = model(input_ids=ids, attention_mask=mask, labels=lab, token_type_ids=types).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.4f}")
            step += 1
            if step >= total:
                break
        model.eval()
        scores = evaluate_examples(Tagger(model, tokenizer, id2label, full if full is not True else None), dev_ex)
        f1 = scores["micro"]["f1"]
        history.append({"epoch": epoch, "loss": sum(losses) / max(1, len(losses)), "dev_f1": f1})
        log(f"epoch {epoch}: loss {history[-1]['loss']:.4f}, dev micro F1 {f1:.4f}")
        if f1 > best:
            best, best_epoch, best_scores = f1, epoch, scores
            model.save_pretrained(out)
            tokenizer.save_pretrained(out)
        if step >= total:
            break
    terms = data_terms or {}
    meta = {"command": command, "trained_at": time.strftime("%Y-%m-%d %H:%M"), "seconds": time.time() - started,
            "seed": seed, "base_model": base_model, "labels": labels, "best_epoch": best_epoch, "history": history,
            "data": [{"path": str(p), "examples": n, "terms": terms.get(str(p), "")}
                     for p, n in [(f, sum(1 for _ in read_corpus([f], fmt, label_map))) for f in train_files]]
                    + [{"path": str(dev_file), "examples": len(dev_ex), "terms": terms.get(str(dev_file), "") + " (dev)"}],
            "dev": best_scores, "hyperparameters": {"epochs": epochs, "batch_size": batch_size, "lr": lr,
                                                    "max_steps": max_steps, "lexicon_features": bool(features),
                                                    "gazetteer": bool(base_model is None and gazetteer),
                                                    **({} if base_model else (scratch or SCRATCH))}}
    write_card(out, meta)
    return meta
