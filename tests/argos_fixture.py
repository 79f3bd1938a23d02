"""Build a tiny but genuine Argos Translate package (``.argosmodel``) at test time.

No Arabic->English model can be downloaded on the CI machines, so the tests make one:
a SentencePiece model trained on a few hundred lines of the seeds (Arabic and English), and a
one-layer Transformer with small random weights written directly with ``ctranslate2.specs``.
Its output is nonsense; the tests assert routing, shape, caching, signatures and errors, never
wording. The package also ships a MiniSBD sentence splitter (``minisbd/ar.onnx``), so that
argostranslate's own ``translate()`` finds one inside the package instead of downloading one: a
hand-written ONNX graph that ends sentences at final punctuation (see ``_build_minisbd_model``).
Also builds the malicious archives the validator must reject.

The seeds text used for the SentencePiece training comes from ``seeds/`` (project samples).
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

PACKAGE_DIR_NAME = "translate-ar_en-0_1"
METADATA = {
    "package_version": "0.1",
    "argos_version": "1.11",
    "from_code": "ar",
    "from_name": "Arabic",
    "to_code": "en",
    "to_name": "English",
    "type": "translate",
}

_BUILT: dict[str, Path] = {}  # cache key -> archive, so one build serves the whole session


def _training_lines(limit: int = 400) -> list[str]:
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            line = line.strip()
            if len(line) > 3:
                lines.append(line[:400])
    return lines[:limit]


def _train_sentencepiece(work: Path, vocab_size: int = 400) -> Path:
    import sentencepiece as spm

    corpus = work / "sp_train.txt"
    corpus.write_text("\n".join(_training_lines()) + "\n", encoding="utf-8")
    prefix = work / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
        num_threads=1, minloglevel=2, bos_id=1, eos_id=2, unk_id=0, pad_id=-1,
    )
    return prefix.with_suffix(".model")


def _pieces(sp_model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _build_ctranslate2_model(out_dir: Path, vocab: list[str], d_model: int = 32,
                             ffn: int = 64, seed: int = 0) -> None:
    """A one-layer Transformer with random weights, saved as a CTranslate2 model directory."""
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config(1, 2)
    v = len(vocab)

    def rand(*shape):
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    def fill_norm(norm):
        norm.gamma = np.ones(d_model, dtype=np.float32)
        norm.beta = np.zeros(d_model, dtype=np.float32)

    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = rand(v, d_model)
    fill_norm(enc.layer_norm)
    for layer in enc.layer:
        fill_norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = rand(3 * d_model, d_model)
        layer.self_attention.linear[1].weight = rand(d_model, d_model)
        fill_norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = rand(ffn, d_model)
        layer.ffn.linear_1.weight = rand(d_model, ffn)
    dec.embeddings.weight = rand(v, d_model)
    fill_norm(dec.layer_norm)
    dec.projection.weight = rand(v, d_model)
    for layer in dec.layer:
        fill_norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = rand(3 * d_model, d_model)
        layer.self_attention.linear[1].weight = rand(d_model, d_model)
        fill_norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = rand(d_model, d_model)
        layer.attention.linear[1].weight = rand(2 * d_model, d_model)
        layer.attention.linear[2].weight = rand(d_model, d_model)
        fill_norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = rand(ffn, d_model)
        layer.ffn.linear_1.weight = rand(d_model, ffn)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.save(str(out_dir))


# Sentence-final punctuation for the MiniSBD fixture: full stop U+002E, exclamation mark U+0021,
# question mark U+003F, Arabic question mark U+061F, Arabic full stop U+06D4.
SENTENCE_END_CHARS = frozenset("\u002e\u0021\u003f\u061f\u06d4")
# MiniSBD (stanza's tokenizer) labels each character: 0 inside a token, 1 end of a token,
# 2 end of a sentence (3 and 4, multi-word tokens, are never predicted here).
_SBD_LABELS = 5
_ONNX_OPSET = 17  # onnxruntime >= 1.14 runs it
_ONNX_IR_VERSION = 8


def _build_minisbd_model(out_file: Path) -> None:
    """A MiniSBD sentence splitter as a genuine ONNX model, written with ``onnx.helper``.

    minisbd feeds ``units`` (int64 [batch, chars], character ids from the vocabulary in the
    model's metadata) and ``features`` (float [batch, chars, 1]: the ``space_before`` feature,
    1 for a space) and takes the argmax over the last axis of the first output as each
    character's label. The graph scores every character by a lookup table (sentence-final
    punctuation -> 2, anything else -> 0) plus a one-character look-ahead (next character a
    space or punctuation -> 1), so it splits words at spaces and sentences after the characters
    of ``SENTENCE_END_CHARS``. Building it takes well under a second.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    units = ["<PAD>", "<UNK>", " "] + sorted(SENTENCE_END_CHARS)
    vocab = {"lang": "ar", "idx": 0, "cutoff": 0, "lower": False,
             "_id2unit": units, "_unit2id": {u: i for i, u in enumerate(units)}}
    own = np.zeros((len(units), _SBD_LABELS), dtype=np.float32)
    own[:, 0] = 1.0
    is_end = np.zeros(len(units), dtype=np.float32)
    for i, unit in enumerate(units):
        if unit in SENTENCE_END_CHARS:
            own[i] = (0.0, 0.0, 3.0, 0.0, 0.0)
            is_end[i] = 1.0
    constants = {
        "own_scores": own,
        "is_sentence_end": is_end,
        "token_end_bonus": np.array([0.0, 2.0, 0.0, 0.0, 0.0], dtype=np.float32),
        "axis_1": np.array([1], dtype=np.int64),
        "axis_2": np.array([2], dtype=np.int64),
        "one": np.array([1], dtype=np.int64),
        "to_end": np.array([np.iinfo(np.int64).max], dtype=np.int64),
        "pad_after_1": np.array([0, 0, 0, 1], dtype=np.int64),  # begin B, T; end B, T
    }
    nodes = [
        helper.make_node("Gather", ["own_scores", "units"], ["own"]),  # [B, T, 5]
        helper.make_node("Gather", ["is_sentence_end", "units"], ["punct"]),  # [B, T]
        helper.make_node("ReduceSum", ["features", "axis_2"], ["space"], keepdims=0),  # [B, T]
        helper.make_node("Add", ["punct", "space"], ["boundary"]),
        helper.make_node("Slice", ["boundary", "one", "to_end", "axis_1"], ["next"]),
        helper.make_node("Pad", ["next", "pad_after_1"], ["next_boundary"]),  # zero at the end
        helper.make_node("Unsqueeze", ["next_boundary", "axis_2"], ["next_3d"]),
        helper.make_node("Mul", ["next_3d", "token_end_bonus"], ["bonus"]),
        helper.make_node("Add", ["own", "bonus"], ["scores"]),
    ]
    graph = helper.make_graph(
        nodes, "minisbd_fixture",
        inputs=[helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "chars"]),
                helper.make_tensor_value_info("features", TensorProto.FLOAT,
                                              ["batch", "chars", 1])],
        outputs=[helper.make_tensor_value_info("scores", TensorProto.FLOAT,
                                               ["batch", "chars", _SBD_LABELS])],
        initializer=[numpy_helper.from_array(v, name=k) for k, v in constants.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _ONNX_OPSET)],
                              producer_name="corpus-tests")
    model.ir_version = _ONNX_IR_VERSION
    helper.set_model_props(model, {
        "lang_code": "ar",
        "config": json.dumps({"feat_funcs": ["space_before"], "max_seqlen": 1000,
                              "batch_size": 32, "skip_newline": False}),
        "vocab": json.dumps(vocab, ensure_ascii=False),
    })
    onnx.checker.check_model(model, full_check=True)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(model, str(out_file))


def build_package_dir(work: Path, *, metadata: dict | None = None) -> Path:
    """Write an unpacked package directory ``work/<PACKAGE_DIR_NAME>`` and return it."""
    pkg = work / PACKAGE_DIR_NAME
    (pkg / "model").mkdir(parents=True, exist_ok=True)
    sp_model = _train_sentencepiece(work)
    (pkg / "sentencepiece.model").write_bytes(sp_model.read_bytes())
    _build_ctranslate2_model(pkg / "model", _pieces(sp_model))
    _build_minisbd_model(pkg / "minisbd" / "ar.onnx")
    (pkg / "metadata.json").write_text(json.dumps(metadata or METADATA, indent=2),
                                       encoding="utf-8")
    (pkg / "README.md").write_text("Test fixture: random weights, nonsense output.\n",
                                   encoding="utf-8")
    return pkg


def zip_package_dir(pkg: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(pkg.rglob("*")):
            if path.is_file():
                zf.write(path, f"{pkg.name}/{path.relative_to(pkg).as_posix()}")
    return archive


def build_argosmodel(work: Path) -> Path:
    """Build (once per process and work dir) ``work/translate-ar_en-0_1.argosmodel``."""
    key = str(work)
    if key not in _BUILT:
        work.mkdir(parents=True, exist_ok=True)
        pkg = build_package_dir(work)
        _BUILT[key] = zip_package_dir(pkg, work / f"{PACKAGE_DIR_NAME}.argosmodel")
    return _BUILT[key]


# --- malicious / broken archives -------------------------------------------------------------

def rewrite_archive(src: Path, dest: Path, *, rename=None, drop=(), extra=(),
                    metadata: dict | None = None) -> Path:
    """Copy the good archive with changes: ``rename(name) -> name``, names to ``drop``,
    ``extra`` (ZipInfo-or-name, bytes) entries to add, replaced ``metadata``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            name = rename(info.filename) if rename else info.filename
            if metadata is not None and info.filename.endswith("/metadata.json"):
                data = json.dumps(metadata).encode("utf-8")
            zout.writestr(name, data)
        for entry, data in extra:
            zout.writestr(entry, data)
    return dest


def symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # unix, so external_attr carries the mode
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode("utf-8")


def zip_bomb_entry(name: str, size: int) -> tuple[zipfile.ZipInfo, bytes]:
    """A highly compressible entry: ``size`` zero bytes."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info, bytes(size)


def archive_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


# --- pytest fixtures (imported by tests/test_models.py and tests/test_translate.py) ----------

import sys  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def argos_env(tmp_path_factory):
    """Point argostranslate's settings (read once, at import) at a temp dir for the session,
    so no test can touch the real home or a real package dir."""
    home = tmp_path_factory.mktemp("argos_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARGOS_PACKAGES_DIR", str(home / "packages"))
        mp.setenv("XDG_DATA_HOME", str(home / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
        mp.setenv("XDG_CACHE_HOME", str(home / "cache"))
        mp.delenv("CORPUS_MODELS_DIR", raising=False)
        yield home


@pytest.fixture(scope="session")
def argos_model(tmp_path_factory, argos_env) -> Path:
    """The tiny genuine ``.argosmodel``, built once per session (~3 s)."""
    return build_argosmodel(tmp_path_factory.getbasetemp() / "argos_fixture")


@pytest.fixture(autouse=False)
def clean_argos_caches():
    """Clear argostranslate's module-level caches around a test (only if it was imported)."""
    def clear():
        mod = sys.modules.get("argostranslate.translate")
        if mod is not None:
            mod.installed_translates.clear()
            mod.get_installed_languages.cache_clear()
    clear()
    yield
    clear()


@pytest.fixture
def installed_models(argos_model, tmp_path, monkeypatch, clean_argos_caches) -> Path:
    """A fresh models dir with the fixture model installed; cwd moved to tmp_path so the
    default models dir can never be the repository's."""
    from corpus.models import install_model

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUS_MODELS_DIR", raising=False)
    models_dir = tmp_path / "models"
    install_model(argos_model, models_dir)
    return models_dir
