"""The lost-% detector's third reader: a small character BiLSTM over each bare number's context.

The first two stages (:mod:`pipeline.checks.percent_model`) read hashed n-grams and the text's other
numbers. This one reads the characters themselves in order: 40 before the number, the number (digits
folded to 0), 20 after, with the rules' reason; the states at the number's two edges and the most of
each dimension over the window go through a small feed-forward layer to a log-odds. Its log-odds and
the document stage's are averaged (:func:`combine`); on development fifths it raised the recall at
precision 0.95 by 0.02-0.07 over the two stages alone (``benchmarks/real/percent_neural.py``).

It is trained with torch (``medclaim train-percent``, the ``tagger`` extra) once for each
cross-validation fold, and the fold models ship together (``reader.npz``): an audit averages their
log-odds, as the threshold was chosen on their out-of-fold scores. Scoring needs only NumPy: every
fold model and both directions run as one batched recurrence.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

BEFORE, AFTER, NUMBER = 40, 20, 12
WIDTH = BEFORE + NUMBER + AFTER + 2
PAD, UNKNOWN, OPEN, CLOSE = 0, 1, 2, 3
EMBED, REASON_EMBED = 64, 16
READER_FILE = "reader.npz"


def fold_digits(s: str) -> str:
    return "".join("0" if c.isdigit() else c for c in s)


def window(norm: str, start: int, end: int) -> tuple[str, str, str]:
    """The characters the reader sees of the number ``start:end`` of a normalised text."""
    return norm[max(0, start - BEFORE):start], norm[start:end][:NUMBER], norm[end:end + AFTER]


def encode(windows: list[tuple[str, str, str]], vocab: dict[str, int]) -> np.ndarray:
    """Character ids, ``(len(windows), WIDTH)``: the context before, right-aligned against an opening
    mark, the number, a closing mark, the context after."""
    X = np.zeros((len(windows), WIDTH), np.int64)
    for i, (before, number, after) in enumerate(windows):
        ids = [vocab.get(c, UNKNOWN) for c in fold_digits(before)]
        X[i, BEFORE - len(ids):BEFORE] = ids
        X[i, BEFORE] = OPEN
        ids = [vocab.get(c, UNKNOWN) for c in fold_digits(number)]
        X[i, BEFORE + 1:BEFORE + 1 + len(ids)] = ids
        X[i, BEFORE + 1 + NUMBER] = CLOSE
        ids = [vocab.get(c, UNKNOWN) for c in fold_digits(after)]
        X[i, BEFORE + 2 + NUMBER:BEFORE + 2 + NUMBER + len(ids)] = ids
    return X


# The reader reads only numbers the two stages give at least this probability: on a development fifth
# that was 37% of the candidates, and it kept all the reader's gain (the numbers under it stay under any
# threshold a precision target chooses); it keeps the audit's cost down.
READ_FROM = 0.02


def reads(probabilities: np.ndarray) -> np.ndarray:
    """Which candidates the reader reads, given the two stages' probabilities."""
    return probabilities >= READ_FROM


def combine(probabilities: np.ndarray, reader_logits: np.ndarray) -> np.ndarray:
    """The final probability: the mean of the document stage's log-odds and the reader's."""
    p = np.clip(probabilities, 1e-7, 1 - 1e-7)
    return 1.0 / (1.0 + np.exp(-np.clip((np.log(p / (1 - p)) + reader_logits) / 2, -30.0, 30.0)))


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@dataclass
class Reader:
    """Fold models stacked on a leading axis: ``chars (M, V, E)``, ``w_ih (M, 2, 4H, E)``, ``w_hh (M, 2,
    4H, H)``, ``b (M, 2, 4H)``, ``reason (M, R, 16)``, ``w1 (M, 128, 6H+17)``, ``b1``, ``w2 (M, 128)``,
    ``b2 (M,)``; PyTorch's LSTM gate order (input, forget, cell, output)."""
    vocab: dict[str, int]
    reasons: dict[str, int]
    arrays: dict[str, np.ndarray]

    def _t(self, name: str) -> np.ndarray:
        """The weight ``name`` with its last two axes swapped, contiguous (matmul's fast path), made once."""
        key = name + "_t"
        if key not in self.__dict__:
            self.__dict__[key] = np.ascontiguousarray(np.swapaxes(self.arrays[name], -1, -2))
        return self.__dict__[key]

    def _projected(self, X: np.ndarray) -> np.ndarray:
        """Each character's input projection (embedding times the input weights, plus the bias), for
        both directions of every fold model, worked out the first time the character is read and kept:
        the recurrence then only adds the hidden state's part."""
        A = self.arrays
        if "_proj" not in self.__dict__:
            M, V = A["chars"].shape[:2]
            self._proj = np.zeros((M, 2, V, A["w_ih"].shape[2]), np.float32)  # pages are touched as rows fill
            self._done = np.zeros(V, bool)
        ids = np.unique(X)
        new = ids[~self._done[ids]]
        if len(new):
            rows = np.matmul(A["chars"][:, None, new], self._t("w_ih")) + A["b"][:, :, None, :]
            self._proj[:, :, new] = rows
            self._done[new] = True
        return self._proj[:, :, X]

    @property
    def hidden(self) -> int:
        return self.arrays["w_hh"].shape[-1]

    def logits(self, windows: list[tuple[str, str, str]], reasons: list[str | None]) -> np.ndarray:
        """The mean over the fold models of each window's log-odds."""
        if not windows:
            return np.zeros(0)
        A, H = self.arrays, self.hidden
        X = encode(windows, self.vocab)
        r = np.array([self.reasons.get(x or "", 0) for x in reasons])
        M, B = A["chars"].shape[0], len(windows)
        proj = self._projected(X)  # (M, 2, B, T, 4H): input projections of both directions at every step
        fwd, bwd = proj[:, 0], proj[:, 1]
        w_hh = self._t("w_hh")  # (M, 2, H, 4H)
        # float32 throughout: the weights were trained in it, and it halves the work
        h = np.zeros((M, 2, B, H), np.float32)
        c = np.zeros((M, 2, B, H), np.float32)
        states = np.empty((WIDTH, M, 2, B, H), np.float32)
        step = np.empty((M, 2, B, 4 * H), np.float32)
        for t in range(WIDTH):
            step[:, 0] = fwd[:, :, t]
            step[:, 1] = bwd[:, :, WIDTH - 1 - t]
            gates = step + np.matmul(h, w_hh)
            sig = _sigmoid(gates[..., :2 * H])
            c = sig[..., H:] * c + sig[..., :H] * np.tanh(gates[..., 2 * H:3 * H])
            h = _sigmoid(gates[..., 3 * H:]) * np.tanh(c)
            states[t] = h
        forward = states[:, :, 0]  # (T, M, B, H), the forward state after step t
        backward = states[::-1, :, 1]  # the backward state at position t
        at = lambda i: np.concatenate([forward[i], backward[i]], axis=-1)  # noqa: E731  (M, B, 2H)
        top = np.concatenate([forward.max(axis=0), backward.max(axis=0)], axis=-1)
        feats = np.concatenate([at(BEFORE), at(BEFORE + 1 + NUMBER), top, A["reason"][:, r], np.zeros((M, B, 1), np.float32)],
                               axis=-1)
        hidden = np.maximum(np.matmul(feats, self._t("w1")) + A["b1"][:, None, :], 0.0)
        z = np.matmul(hidden, A["w2"][:, :, None])[..., 0] + A["b2"][:, None]
        return z.mean(axis=0).astype(np.float64)

    def save(self, folder: Path) -> dict:
        np.savez(folder / READER_FILE, **self.arrays)
        return {"file": READER_FILE, "vocab": "".join(sorted(self.vocab, key=self.vocab.get)),
                "reasons": sorted(self.reasons, key=self.reasons.get), "hidden": self.hidden,
                "folds": int(self.arrays["chars"].shape[0]), "window": [BEFORE, NUMBER, AFTER]}

    @classmethod
    def load(cls, folder: Path, meta: dict) -> "Reader":
        try:
            with np.load(folder / meta["file"], allow_pickle=False) as z:
                arrays = {k: z[k].astype(np.float32) for k in z.files}
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"{folder}: the lost-% reader cannot be read ({exc})") from None
        if meta.get("window") != [BEFORE, NUMBER, AFTER]:
            raise ValueError(f"{folder}: the lost-% reader reads a window of {meta.get('window')}, this medclaim "
                             f"{[BEFORE, NUMBER, AFTER]}: retrain it with medclaim train-percent")
        vocab = {c: i + 4 for i, c in enumerate(meta["vocab"])}
        reasons = {r: i + 1 for i, r in enumerate(meta["reasons"])}
        return cls(vocab, reasons, arrays)


def pretrained_table(vocab: dict[str, int], chars: list[str], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the reader's character table started from pretrained character vectors (``medclaim
    pretrain``): ``(ids, rows)`` for the reader's characters the vectors know, the digits (folded to 0
    here) as the mean of the ten digits' vectors. The vectors are brought to the reader's ``EMBED``
    dimensions by their principal components and scaled to the spread of a fresh embedding (unit
    variance a dimension), so training starts from a table of the size it would draw itself."""
    index = {c: i for i, c in enumerate(chars)}
    V = np.asarray(vectors, np.float64)
    V = V - V.mean(axis=0)
    if V.shape[1] > EMBED:
        _, _, vt = np.linalg.svd(V, full_matrices=False)
        V = V @ vt[:EMBED].T  # fewer columns where there are fewer characters than EMBED
    V = V / (V.std(axis=0, keepdims=True) + 1e-8)
    if V.shape[1] < EMBED:
        V = np.pad(V, ((0, 0), (0, EMBED - V.shape[1])))
    digits = [index[d] for d in "0123456789" if d in index]
    ids, rows = [], []
    for c, i in vocab.items():
        if c == "0" and digits:
            ids.append(i)
            rows.append(V[digits].mean(axis=0))
        elif c in index:
            ids.append(i)
            rows.append(V[index[c]])
    return np.array(ids, np.int64), np.array(rows, np.float32).reshape(len(rows), EMBED)


def fit_readers(windows: list[tuple[str, str, str]], reasons: list[str | None], labels: np.ndarray,
                extra: np.ndarray, groups_of_fold: list[tuple[np.ndarray, np.ndarray]], *, epochs: int = 2,
                hidden: int = 64, seed: int = 13, article_weight: int = 5, progress=None, encoder=None
                ) -> tuple[Reader, np.ndarray]:
    """Train one reader a fold (torch) and return them stacked, with the out-of-fold log-odds.

    ``groups_of_fold``: for each fold, the rows it trains on and the rows it scores. ``extra`` marks
    the rows of the extra corpora (they train every fold, score none); the rows of the audited kind
    are repeated ``article_weight`` times in training, since the extra corpora are many times larger.
    ``encoder`` (a :class:`pipeline.tagger.pretrain.Encoder`) starts each fold's character table from
    its pretrained character vectors (:func:`pretrained_table`)."""
    import torch
    from torch import nn

    counts: dict[str, int] = {}
    trained = np.unique(np.concatenate([rows for rows, _ in groups_of_fold])) if groups_of_fold else []
    for i in trained:  # the characters of rows some fold learns from: a scored-only row adds none
        before, number, after = windows[i]
        for ch in fold_digits(before + number + after):
            counts[ch] = counts.get(ch, 0) + 1
    vocab = {c: i + 4 for i, c in enumerate(sorted(c for c, n in counts.items() if n >= 2))}
    reason_ids = {r: i + 1 for i, r in enumerate(sorted({r or "" for r in reasons}))}
    X_all = torch.tensor(encode(windows, vocab))
    R_all = torch.tensor([reason_ids[r or ""] for r in reasons])
    Y_all = torch.tensor(labels.astype(np.float32))
    D_all = torch.tensor(extra.astype(np.float32))  # 1 for the extra corpora's rows; an audit reads 0
    oof = np.zeros(len(windows))
    stacked: dict[str, list[np.ndarray]] = {}
    start_ids, start_rows = pretrained_table(vocab, encoder.chars, encoder.char_vectors) if encoder is not None \
        else (np.zeros(0, np.int64), np.zeros((0, EMBED), np.float32))
    torch.manual_seed(seed)
    for k, (train_rows, score_rows) in enumerate(groups_of_fold):
        net = _Net(len(vocab) + 4, len(reason_ids) + 1, hidden)
        if len(start_ids):
            with torch.no_grad():
                net.chars.weight[torch.tensor(start_ids)] = torch.tensor(start_rows)
        optimiser = torch.optim.Adam(net.parameters(), lr=2e-3)
        loss = nn.BCEWithLogitsLoss()
        rows = np.concatenate([np.repeat(train_rows[~extra[train_rows]], article_weight), train_rows[extra[train_rows]]])
        rows = torch.tensor(rows)
        for epoch in range(epochs):
            net.train()
            for batch in rows[torch.randperm(len(rows))].split(256):
                optimiser.zero_grad()
                loss(net(X_all[batch], R_all[batch], D_all[batch]), Y_all[batch]).backward()
                optimiser.step()
            if progress:
                progress(k * epochs + epoch + 1)
        net.eval()
        with torch.no_grad():
            idx = torch.tensor(score_rows)
            if len(idx):
                oof[score_rows] = torch.cat([net(X_all[b], R_all[b], D_all[b]) for b in idx.split(2048)]).numpy()
        for name, value in net.export().items():
            stacked.setdefault(name, []).append(value)
    return Reader(vocab, reason_ids, {k: np.stack(v) for k, v in stacked.items()}), oof


def _Net(vocab_size: int, reasons: int, hidden: int):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.chars = nn.Embedding(vocab_size, EMBED, padding_idx=PAD)
            self.lstm = nn.LSTM(EMBED, hidden, batch_first=True, bidirectional=True)
            self.reason = nn.Embedding(reasons, REASON_EMBED)
            self.drop = nn.Dropout(0.2)
            self.w1 = nn.Linear(6 * hidden + REASON_EMBED + 1, 128)
            self.w2 = nn.Linear(128, 1)

        def forward(self, x, reason, domain):
            h, _ = self.lstm(self.drop(self.chars(x)))
            f = torch.cat([h[:, BEFORE], h[:, BEFORE + 1 + NUMBER], h.max(1).values, self.reason(reason),
                           domain[:, None]], 1)
            return self.w2(self.drop(torch.relu(self.w1(f)))).squeeze(1)

        def export(self) -> dict[str, np.ndarray]:
            L = self.lstm
            get = lambda t: t.detach().numpy().astype(np.float32)  # noqa: E731
            return {"chars": get(self.chars.weight),
                    "w_ih": np.stack([get(L.weight_ih_l0), get(L.weight_ih_l0_reverse)]),
                    "w_hh": np.stack([get(L.weight_hh_l0), get(L.weight_hh_l0_reverse)]),
                    "b": np.stack([get(L.bias_ih_l0 + L.bias_hh_l0), get(L.bias_ih_l0_reverse + L.bias_hh_l0_reverse)]),
                    "reason": get(self.reason.weight), "w1": get(self.w1.weight), "b1": get(self.w1.bias),
                    "w2": get(self.w2.weight)[0], "b2": get(self.w2.bias)[0]}

    return Net()

