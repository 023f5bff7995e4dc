"""A linear-chain CRF over BIO tags: training loss, Viterbi decoding and tag marginals.

Transitions that BIO forbids (``O -> I-X``, ``B-X -> I-Y``, a sentence starting with ``I-X``) are
fixed at -10,000 so that neither decoding nor the marginals ever produce a broken span.
"""
from __future__ import annotations

import numpy
import torch
from torch import nn

FORBIDDEN = -1e4


def allowed_transitions(tags: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """``(start, transition)`` masks: 1 where BIO allows the tag (pair), 0 where it forbids it."""
    n = len(tags)
    start = torch.ones(n)
    trans = torch.ones(n, n)
    for j, t in enumerate(tags):
        if t.startswith("I-"):
            start[j] = 0
            for i, f in enumerate(tags):
                if f[2:] != t[2:] or f == "O":
                    trans[i, j] = 0
    return start, trans


class CRF(nn.Module):
    def __init__(self, tags: list[str]) -> None:
        super().__init__()
        self.transitions = nn.Parameter(torch.zeros(len(tags), len(tags)))
        self.start = nn.Parameter(torch.zeros(len(tags)))
        self.end = nn.Parameter(torch.zeros(len(tags)))
        # made on first use, not buffers: transformers builds models on the meta device and leaves
        # non-persistent buffers uninitialised when it loads them
        self.tags = list(tags)
        self._penalties = None

    def _scores(self):
        if self._penalties is None or self._penalties[0].device != self.start.device:
            start_ok, trans_ok = allowed_transitions(self.tags)
            self._penalties = ((1 - start_ok).to(self.start.device) * FORBIDDEN,
                               (1 - trans_ok).to(self.start.device) * FORBIDDEN)
        start_penalty, trans_penalty = self._penalties
        return self.start + start_penalty, self.transitions + trans_penalty

    def _forward(self, emissions: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
        """Log forward variables alpha_t for every position (B, K each)."""
        start, trans = self._scores()
        alpha = start + emissions[:, 0]
        alphas = [alpha]
        for t in range(1, emissions.size(1)):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans, dim=1) + emissions[:, t]
            alpha = torch.where(mask[:, t:t + 1], nxt, alpha)
            alphas.append(alpha)
        return alphas

    def loss(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood of ``tags`` (B, T) under the emissions (B, T, K); the first
        position of every row must be unmasked."""
        start, trans = self._scores()
        tags = tags.clamp(min=0)
        maskf = mask.float()
        batch = torch.arange(emissions.size(0))
        gold = start[tags[:, 0]] + emissions[batch, 0, tags[:, 0]]
        for t in range(1, emissions.size(1)):
            step = trans[tags[:, t - 1], tags[:, t]] + emissions[batch, t, tags[:, t]]
            gold = gold + step * maskf[:, t]
        last = tags[batch, mask.long().sum(1) - 1]
        gold = gold + self.end[last]
        log_z = torch.logsumexp(self._forward(emissions, mask)[-1] + self.end, dim=1)
        return (log_z - gold).mean()

    def decode(self, emissions: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
        """The best tag sequence of each row (Viterbi), as long as the row's mask.

        Inference runs in NumPy: a step is a few operations on a (B, K, K) array, where torch's
        per-operation overhead would cost more than the arithmetic. Rows are taken longest first,
        so that step t works on the rows still running only (a prefix), not on padding.
        """
        start, trans = (x.detach().cpu().numpy() for x in self._scores())
        order, lengths, em = _longest_first(emissions, mask)
        score = start + em[:, 0]
        into = numpy.ascontiguousarray(trans.T)  # [to, from]: the reductions run along contiguous memory
        history = []
        for t in range(1, em.shape[1]):
            a = int(numpy.searchsorted(-lengths, -t, side="left"))  # rows longer than t
            if a == 0:
                break
            cand = score[:a, None, :] + into
            best = cand.argmax(axis=2)
            history.append(best)
            # the maximum read at the argmax: one reduction a step instead of two, the same values
            score[:a] = numpy.take_along_axis(cand, best[:, :, None], axis=2)[:, :, 0] + em[:a, t]
        score = score + self.end.detach().cpu().numpy()
        last = score.argmax(1).tolist()
        paths: list[list[int]] = [[] for _ in order]
        for b, (row, n) in enumerate(zip(order, lengths.tolist())):
            tag = last[b]
            path = [tag]
            for t in range(n - 2, -1, -1):
                tag = int(history[t][b, tag])
                path.append(tag)
            paths[row] = path[::-1]
        return paths

    def marginals(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """P(tag at t) for every position (B, T, K), by forward-backward; padding rows are arbitrary.

        Runs in probability space with every step rescaled (a matrix product a step instead of a
        log-sum-exp), in NumPy and longest rows first like :meth:`decode`; exact up to rounding.
        """
        start, trans = (x.detach().cpu().numpy().astype(numpy.float64) for x in self._scores())
        end = self.end.detach().cpu().numpy().astype(numpy.float64)
        order, lengths, em = _longest_first(emissions, mask, numpy.float64)
        potentials = numpy.exp(em - em.max(axis=2, keepdims=True))
        step = numpy.exp(trans)
        step_t = numpy.ascontiguousarray(step.T)
        n = em.shape[1]
        alphas = numpy.ones_like(potentials)
        alpha = numpy.exp(start - start.max()) * potentials[:, 0]
        alpha /= alpha.sum(1, keepdims=True)
        alphas[:, 0] = alpha
        betas = numpy.ones_like(potentials)
        beta = numpy.repeat(numpy.exp(end - end.max())[None], len(order), axis=0)
        for t in range(1, n):
            a = int(numpy.searchsorted(-lengths, -t, side="left"))
            if a == 0:
                break
            nxt = (alpha[:a] @ step) * potentials[:a, t]
            alpha[:a] = nxt / nxt.sum(1, keepdims=True)
            alphas[:a, t] = alpha[:a]
        for b, k in enumerate(lengths.tolist()):
            betas[b, k - 1] = beta[b]
        for t in range(n - 1, 0, -1):
            a = int(numpy.searchsorted(-lengths, -t, side="left"))
            if a == 0:
                continue
            prev = (potentials[:a, t] * betas[:a, t]) @ step_t
            betas[:a, t - 1] = prev / prev.sum(1, keepdims=True)
        joint = alphas * betas
        joint /= numpy.maximum(joint.sum(2, keepdims=True), 1e-30)
        out = numpy.empty_like(joint, dtype=numpy.float32)
        out[order] = joint
        return torch.from_numpy(out)


def _longest_first(emissions: torch.Tensor, mask: torch.Tensor, dtype=numpy.float32):
    """``(order, lengths, emissions)`` with the rows sorted longest first (stable)."""
    lengths = mask.cpu().numpy().astype(bool).sum(1)
    order = numpy.argsort(-lengths, kind="stable")
    em = emissions.detach().cpu().numpy().astype(dtype)[order]
    return order, lengths[order], em
