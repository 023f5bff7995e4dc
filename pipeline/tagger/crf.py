"""A linear-chain CRF over BIO tags: training loss, Viterbi decoding and tag marginals.

Transitions that BIO forbids (``O -> I-X``, ``B-X -> I-Y``, a sentence starting with ``I-X``) are
fixed at -10,000 so that neither decoding nor the marginals ever produce a broken span.
"""
from __future__ import annotations

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
        """The best tag sequence of each row (Viterbi), as long as the row's mask."""
        start, trans = self._scores()
        score = start + emissions[:, 0]
        history = []
        for t in range(1, emissions.size(1)):
            best, idx = (score.unsqueeze(2) + trans).max(dim=1)
            nxt = best + emissions[:, t]
            keep = mask[:, t:t + 1]
            score = torch.where(keep, nxt, score)
            history.append(torch.where(keep, idx, torch.arange(idx.size(1)).expand_as(idx)))
        score = score + self.end
        lengths = mask.long().sum(1).tolist()
        last = score.argmax(1).tolist()
        hist = torch.stack(history, 1).tolist() if history else []
        paths = []
        for b, n in enumerate(lengths):
            tag = last[b]
            path = [tag]
            for t in range(n - 2, -1, -1):
                tag = hist[b][t][tag]
                path.append(tag)
            paths.append(path[::-1])
        return paths

    def marginals(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """P(tag at t) for every position (B, T, K), by forward-backward; padding rows are arbitrary.

        Runs in probability space with every step rescaled (a matrix product a step instead of a
        log-sum-exp), which is several times faster at inference and exact up to rounding.
        """
        start, trans = self._scores()
        potentials = (emissions - emissions.max(dim=2, keepdim=True).values).exp()
        step = trans.exp()
        keep = mask.unsqueeze(2).to(potentials.dtype)
        n = emissions.size(1)
        alpha = (start - start.max()).exp() * potentials[:, 0]
        alpha = alpha / alpha.sum(1, keepdim=True)
        alphas = [alpha]
        for t in range(1, n):
            nxt = (alpha @ step) * potentials[:, t]
            nxt = nxt / nxt.sum(1, keepdim=True)
            alpha = keep[:, t] * nxt + (1 - keep[:, t]) * alpha
            alphas.append(alpha)
        beta = (self.end - self.end.max()).exp().expand(emissions.size(0), -1)
        betas = [beta]
        for t in range(n - 1, 0, -1):
            prev = (potentials[:, t] * beta) @ step.T
            prev = prev / prev.sum(1, keepdim=True)
            beta = keep[:, t] * prev + (1 - keep[:, t]) * beta
            betas.append(beta)
        joint = torch.stack(alphas, 1) * torch.stack(betas[::-1], 1)
        return joint / joint.sum(2, keepdim=True).clamp_min(1e-30)
