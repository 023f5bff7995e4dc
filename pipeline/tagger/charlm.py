"""A character language model whose layers are the tagger's own (``medclaim pretrain --method lm``).

The tagger is a character BiLSTM over each character's embedding, the hashed embedding of the bigram
it starts and lexicon features (:mod:`pipeline.tagger.layers`). Here the same character table,
bigram buckets and BiLSTM learn from unlabelled text as a bidirectional language model: the
forward direction's state at a character predicts the character two places on (the bigram it reads
already shows the next one), the backward direction's state the character before. A tagger trained
with ``medclaim train --encoder DIR`` then starts from these weights: its vocabulary begins with
the model's (so the bigram buckets mean the same bigrams), and its BiLSTM takes the pretrained
weights for the character and bigram inputs (the lexicon features' columns start fresh). The audit
runs the same tagger as before, so the pretraining costs nothing at inference.

The folder holds ``tokens.txt`` (the vocabulary, special tokens first), ``model.safetensors`` (the
tables and the BiLSTM; the prediction heads are left out), ``meta.json`` and a card.
"""
from __future__ import annotations

import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

from ..cards import write_model_card
from .layers import bigram_bucket
from .model import SPECIALS
from .pretrain import PretrainError, lines_of, read_texts

LM_TYPE = "medclaim-char-lm"
LM_DEFAULTS = {"char_dim": 128, "bigram_dim": 64, "bigram_buckets": 50_000, "hidden_size": 256, "outputs": 3000,
               "min_count": 3, "epochs": 1, "batch_size": 32, "segment": 200, "lr": 2e-3, "dropout": 0.2}
SHARED = ("chars.weight", "bigrams.weight")  # copied whole; the BiLSTM's weights are matched by name


def _model(vocab: int, hp: dict):
    import torch
    from torch import nn

    class CharLM(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.config = type("Config", (), {"bigram_buckets": hp["bigram_buckets"]})()
            self.chars = nn.Embedding(vocab, hp["char_dim"], padding_idx=0)
            self.bigrams = nn.Embedding(hp["bigram_buckets"], hp["bigram_dim"])
            self.encoder = nn.LSTM(hp["char_dim"] + hp["bigram_dim"], hp["hidden_size"] // 2, batch_first=True,
                                   bidirectional=True)
            self.dropout = nn.Dropout(hp["dropout"])
            self.ahead = nn.Linear(hp["hidden_size"] // 2, hp["outputs"])
            self.behind = nn.Linear(hp["hidden_size"] // 2, hp["outputs"])
            for table in (self.chars, self.bigrams):
                nn.init.normal_(table.weight, std=0.1)

        def forward(self, ids, mask):
            nxt = torch.cat([ids[:, 1:], torch.zeros_like(ids[:, :1])], dim=1)
            x = self.dropout(torch.cat([self.chars(ids), self.bigrams(bigram_bucket(self.config, ids, nxt))], -1))
            lengths = mask.sum(1)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, _ = self.encoder(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
            out = self.dropout(out)
            half = out.size(-1) // 2
            return self.ahead(out[:, :-2, :half]), self.behind(out[:, 1:, half:])

    return CharLM()


def _targets(ids, mask, outputs: int):
    """Targets two places ahead (forward) and one behind (backward), -100 on padding; characters
    outside the ``outputs`` most frequent are predicted as [UNK]."""
    import torch

    capped = torch.where(ids < outputs, ids, torch.ones_like(ids))
    capped = capped.masked_fill(~mask.bool(), -100)
    return capped[:, 2:], capped[:, :-1]


def pretrain_lm(inputs: list[str], output: str | Path, *, max_chars: int | None = None, seed: int = 13,
                text_field: str = "text", progress: bool = True, command: str = "",
                corpora_terms: dict[str, str] | None = None, log=print, **settings) -> dict:
    """Train the character language model on ``inputs`` and save it to ``output``; ``settings``
    override :data:`LM_DEFAULTS`. Returns the metadata written to the card."""
    import torch
    from safetensors.torch import save_file
    from tqdm import tqdm

    unknown = set(settings) - set(LM_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown language-model settings: {', '.join(sorted(unknown))}")
    hp = {**LM_DEFAULTS, **settings}
    started = time.time()
    torch.manual_seed(seed)
    lines = list(lines_of(read_texts(inputs, text_field)))
    random.Random(seed).shuffle(lines)
    segments, total = [], 0
    for chars in lines:
        for i in range(0, len(chars), hp["segment"]):
            piece = chars[i:i + hp["segment"]]
            if len(piece) > 2:
                segments.append(piece)
                total += len(piece)
        if max_chars is not None and total >= max_chars:
            break
    if total < 2:
        raise PretrainError(f"{', '.join(map(str, inputs))}: no text to learn from")
    counts = Counter(ch for piece in segments for ch in piece)
    tokens = SPECIALS + [ch for ch, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if n >= hp["min_count"]]
    index = {t: i for i, t in enumerate(tokens)}
    unk, cls, sep = (index[t] for t in ("[UNK]", "[CLS]", "[SEP]"))
    rows = [[cls] + [index.get(ch, unk) for ch in piece] + [sep] for piece in segments]
    log(f"{len(segments):,} segments, {total:,} characters, {len(tokens):,} tokens")
    model = _model(len(tokens), hp)
    optimizer = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    batches = [order[i:i + hp["batch_size"]] for i in range(0, len(order), hp["batch_size"])]
    steps = len(batches) * hp["epochs"]
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.05, 1 - s / max(1, steps)))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    rng = random.Random(seed)
    history = []
    for epoch in range(1, hp["epochs"] + 1):
        rng.shuffle(batches)
        model.train()
        bar = tqdm(batches, desc=f"language model, epoch {epoch}", disable=not progress, file=sys.stderr, leave=False)
        losses: list[float] = []
        for idx in bar:
            width = max(len(rows[i]) for i in idx)
            ids = torch.zeros(len(idx), width, dtype=torch.long)
            mask = torch.zeros(len(idx), width, dtype=torch.long)
            for b, i in enumerate(idx):
                ids[b, :len(rows[i])] = torch.tensor(rows[i])
                mask[b, :len(rows[i])] = 1
            ahead, behind = model(ids, mask)
            t_ahead, t_behind = _targets(ids, mask, hp["outputs"])
            loss = loss_fn(ahead.reshape(-1, hp["outputs"]), t_ahead.reshape(-1)) + \
                loss_fn(behind.reshape(-1, hp["outputs"]), t_behind.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.3f}")
        history.append({"epoch": epoch, "loss": round(sum(losses) / max(1, len(losses)), 4),
                        "perplexity_per_direction": round(math.exp(sum(losses) / max(1, len(losses)) / 2), 1),
                        "seconds": round(time.time() - started, 1)})
        log(f"epoch {epoch}: loss {history[-1]['loss']:.4f} ({history[-1]['seconds']:.0f} s)")
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()
             if k in SHARED or k.startswith("encoder.")}
    save_file(state, str(out / "model.safetensors"))
    (out / "tokens.txt").write_text("\n".join(tokens) + "\n", "utf-8")
    meta = {"type": LM_TYPE, "command": command, "trained_at": time.strftime("%Y-%m-%d %H:%M"),
            "seconds": round(time.time() - started, 1), "seed": seed, "segments": len(segments), "characters": total,
            "tokens": len(tokens), "inputs": [{"path": str(p), "terms": (corpora_terms or {}).get(str(p), "")}
                                              for p in inputs],
            "method": "bidirectional character language model on the tagger's own layers (torch)",
            "hyperparameters": {**hp, "max_chars": max_chars}, "history": history}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
    _write_card(out, meta)
    return meta


def _write_card(folder: Path, meta: dict) -> None:
    hp = meta["hyperparameters"]
    last = meta["history"][-1]
    lines = [f"# medclaim character language model: {folder.name}", "",
             f"Learned by `{meta['command'] or 'medclaim pretrain --method lm'}` on {meta['trained_at']} in "
             f"{meta['seconds']:.0f} s (seed {meta['seed']}).", "",
             f"Method: {meta['method']}: a character table ({hp['char_dim']} dimensions), {hp['bigram_buckets']:,} hashed "
             f"bigram buckets ({hp['bigram_dim']} dimensions) and a BiLSTM of {hp['hidden_size']} units, the forward "
             f"direction predicting the character two places ahead, the backward the one behind, over the "
             f"{hp['outputs']:,} most frequent characters; {hp['epochs']} epoch(s), segments of at most "
             f"{hp['segment']} characters, Adam at {hp['lr']}.", "",
             f"Text: {meta['segments']:,} segments, {meta['characters']:,} characters, normalised as the audit "
             f"normalises; {meta['tokens']:,} tokens (characters seen at least {hp['min_count']} times).", "",
             f"Final training loss {last['loss']} (perplexity {last['perplexity_per_direction']} a direction).", "",
             "## Corpora", ""]
    lines += [f"- `{d['path']}` {d['terms']}".rstrip() for d in meta["inputs"]]
    lines += ["", "Use: `medclaim train --encoder THIS_FOLDER ...` starts a new tagger from these layers."]
    write_model_card(folder, "\n".join(lines))


def is_language_model(folder: str | Path) -> bool:
    try:
        return json.loads((Path(folder) / "meta.json").read_text("utf-8")).get("type") == LM_TYPE
    except (OSError, ValueError):
        return False


class LanguageModel:
    """A ``pretrain --method lm`` folder: ``.tokens``, ``.state`` (tensors by name), ``.meta``."""

    def __init__(self, tokens: list[str], state: dict, meta: dict) -> None:
        self.tokens, self.state, self.meta = tokens, state, meta

    @property
    def architecture(self) -> dict:
        """The tagger settings the weights fit."""
        hp = self.meta["hyperparameters"]
        return {k: hp[k] for k in ("char_dim", "bigram_dim", "bigram_buckets", "hidden_size")}

    @classmethod
    def load(cls, folder: str | Path) -> "LanguageModel":
        from safetensors.torch import load_file

        folder = Path(folder)
        if not is_language_model(folder):
            raise PretrainError(f"{folder}: not a medclaim character language model (meta.json type {LM_TYPE})")
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        try:
            tokens = (folder / "tokens.txt").read_text("utf-8").split("\n")[:-1]
            state = load_file(str(folder / "model.safetensors"))
        except OSError as exc:
            raise PretrainError(f"{folder}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
        if tokens[:len(SPECIALS)] != SPECIALS or state.get("chars.weight") is None \
                or state["chars.weight"].shape[0] != len(tokens):
            raise PretrainError(f"{folder}: tokens.txt and model.safetensors do not match")
        return cls(tokens, state, meta)

    def initialise(self, model) -> dict[str, int]:
        """Copy the tables and the BiLSTM into a tagger whose vocabulary starts with ``self.tokens``
        and whose sizes are :attr:`architecture`; the BiLSTM's input columns beyond the character and
        bigram parts (the lexicon features) keep their fresh values."""
        import torch

        own = model.state_dict()
        done = {"chars": len(self.tokens), "lstm_tensors": 0}
        with torch.no_grad():
            own["chars.weight"][:len(self.tokens)] = self.state["chars.weight"]
            if "bigrams.weight" in own:
                own["bigrams.weight"].copy_(self.state["bigrams.weight"])
            for name, value in self.state.items():
                if not name.startswith("encoder."):
                    continue
                target = own.get(name)
                if target is None or target.dim() != value.dim() or target.shape[0] != value.shape[0]:
                    raise PretrainError(f"the language model's {name} {tuple(value.shape)} does not fit the tagger")
                if target.shape == value.shape:
                    target.copy_(value)
                else:  # weight_ih: the pretrained inputs come first
                    target[:, :value.shape[1]] = value
                done["lstm_tensors"] += 1
        return done
