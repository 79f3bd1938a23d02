"""Robustness end to end: a line of several texts in turn reaches the outputs, each Arabic
part with the English part beside it (library ``align`` with a stand-in embedder)."""

from __future__ import annotations

import numpy as np

from corpus.pipeline import align

# Headlines of bench page_027 (NTREX-128, CC BY-SA 4.0) and of seeds/004, with translations.
PAIRS = [
    ('نجم "Still Game" يبدو مستعدًا لمهنة جديدة في مجال المطاعم.',
     "Still Game star looks set for new career in restaurant industry."),
    ("الرقة بعد البوكمال معادلة المرحلة المقبلة.",
     "Raqqa after Albukamal is the equation of the coming stage."),
    ("ذهب الوزير إلى المدينة لافتتاح المستشفى الجديد.",
     "The minister went to the city to open the new hospital."),
]


class PairEmbedder:
    """A text and its translation get nearly the same vector; unrelated texts orthogonal."""

    def signature(self) -> str:
        return "emb:pairs-test"

    def embed(self, texts):
        out = []
        for t in texts:
            v = np.zeros(8, dtype=np.float32)
            for k, (ar, en) in enumerate(PAIRS):
                if t.strip() in (ar, en, ar.rstrip("."), en.rstrip(".")):
                    v[k] = 1.0
                    v[7] = 0.1 if t.strip().startswith(en[:5]) else 0.0
            if not v.any():
                v[6] = 1.0
            out.append(v / np.linalg.norm(v))
        return np.stack(out)


def test_line_of_texts_in_turn_is_aligned_part_by_part(tmp_path):
    line = " ".join(f"{ar} {en}" for ar, en in PAIRS * 3)
    path = tmp_path / "oneline.txt"
    path.write_text(line + "\n", encoding="utf-8")
    rows = list(align([path], embedder=PairEmbedder(), scheme="none"))
    assert len(rows) == 3 * len(PAIRS)
    assert [(r.origin, r.ar, r.en) for r in rows] == [
        ("aligned", ar, en) for ar, en in PAIRS * 3]
