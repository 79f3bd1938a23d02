"""A deterministic stand-in for the sentence embedder, for testing the DP and pairing
mechanics without the model.

A text ``"ar:3+4 xxxx"`` or ``"en:3 yyyy"`` carries the meanings named after the colon; its
vector is the sum of those meanings' random vectors plus a little noise, so translations are
similar and a merged sentence looks like the sum of its parts.
"""

from __future__ import annotations

import numpy as np

DIM = 64


class MeaningEmbedder:
    def __init__(self, noise: float = 0.15, seed: int = 7, meanings: int = 60):
        rng = np.random.default_rng(seed)
        self.meanings = rng.standard_normal((meanings, DIM))
        self.noise, self.rng = noise, np.random.default_rng(seed + 1)
        self.seen: dict[str, np.ndarray] = {}
        self.embedded = 0  # distinct texts embedded

    def signature(self) -> str:
        return "emb:meaning-test"

    def embed(self, texts):
        out = []
        for t in texts:
            if t not in self.seen:
                self.embedded += 1
                ids = [int(x) for x in t.split()[0].split(":")[1].split("+")]
                v = self.meanings[ids].sum(axis=0) + self.noise * self.rng.standard_normal(DIM)
                self.seen[t] = v / np.linalg.norm(v)
            out.append(self.seen[t])
        return np.stack(out).astype(np.float32)
