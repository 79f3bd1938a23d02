"""`corpus review`: one self-contained HTML page, escaped, filterable; rendered in headless
Chromium when it is installed (Debian package `chromium`).

Rows are hand-made from seeds/004 and NTREX-128 (CC-BY-SA-4.0, via the dev bench).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from corpus.cli import app
from corpus.clean import Reject
from corpus.review import render_review, write_review
from corpus.signature import make_signature
from corpus.types import Pair
from corpus.write import write_corpus

runner = CliRunner()
DOC4 = "seeds/004.txt"
PAIRS = [
    Pair(ar="الرقة بعد البوكمال معادلة المرحلة المقبلة",
         en="“Al Raqqa after Boukamal” is the equation of the next stage", origin="aligned",
         doc=DOC4, ar_ref="547:60-547:101", en_ref="547:0-547:59", score=0.92),
    Pair(ar="واحتلت قناة أيه بي سي المركز الثاني بعدد مشاهدين بلغ 3.26 مليون مشاهد.",
         en="ABC was second with 3.26 million viewers.", origin="aligned",
         doc="page_002.txt", ar_ref="12:0-12:70", en_ref="5:0-5:41", score=0.35),
    # markup in the text must come out as text
    Pair(ar="إيران ودرس كردستان العراق الجديد لمن يفهم!",
         en='Iran <script>alert("x")</script> & the new lesson', origin="mt", doc=DOC4,
         ar_ref="298:0-298:42"),
]
UNTRANSLATED = [Pair(ar="ناصر قنديل", en="", origin="untranslated", doc=DOC4,
                     ar_ref="302:0-302:10", reason="no MT model")]
REJECTS = [Reject(Pair(ar="مقالات مشابهة", en="", origin="untranslated", doc=DOC4,
                       ar_ref="396:0-396:13"), "boilerplate", "related articles")]


@pytest.fixture
def corpus_tsv(tmp_path):
    files = write_corpus(PAIRS, tmp_path / "out.tsv", untranslated=UNTRANSLATED,
                         rejects=REJECTS, signature=make_signature({"norm": "match"}))
    return files.main[0]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.scripts, self.urls = [], 0, []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if name in attrs:
                self.urls.append(attrs[name])
        if tag == "script":
            self.scripts += 1
        if tag == "tr" and "row" in (attrs.get("class") or ""):
            self.rows.append({"origin": attrs["data-origin"], "score": attrs["data-score"]})
        if tag == "td" and self.rows:
            self._cell = attrs.get("class")
            self.rows[-1].setdefault("dir_" + self._cell, attrs.get("dir"))
            self.rows[-1].setdefault(self._cell, "")

    def handle_data(self, data):
        if self._cell and self.rows:
            self.rows[-1][self._cell] += data

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None


def test_page_structure_and_escaping(corpus_tsv):
    page = render_review(corpus_tsv)
    parsed = _Collector()
    parsed.feed(page)
    assert parsed.urls == []  # self-contained: nothing to fetch
    assert parsed.scripts == 1  # our inline filter, not the one in the data
    assert "http://" not in page and "https://" not in page and "@import" not in page
    assert [r["origin"] for r in parsed.rows] == ["aligned", "aligned", "mt", "untranslated",
                                                  "rejected"]
    first = parsed.rows[0]
    assert first["ar"] == PAIRS[0].ar and first["en"] == PAIRS[0].en
    assert first["dir_ar"] == "rtl" and first["dir_en"] == "ltr"
    assert first["score"] == "0.9200"
    assert "547:60-547:101" in first["where"] and DOC4 in first["where"]
    assert parsed.rows[2]["en"] == PAIRS[2].en  # the <script> came through as text
    # no English: the English column says why
    assert parsed.rows[3]["en"] == "untranslated: no MT model"
    assert parsed.rows[4]["en"] == "rejected (boilerplate): related articles"
    assert "<svg" in page and page.count('class="bar"') == 10  # the score histogram
    assert "Noto Naskh Arabic" in page


def test_cli_writes_the_page(corpus_tsv, tmp_path):
    out = tmp_path / "review.html"
    result = runner.invoke(app, ["review", str(corpus_tsv), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_review(corpus_tsv)
    result = runner.invoke(app, ["review", str(tmp_path / "nope.tsv"), "-o", str(out)])
    assert result.exit_code == 2 and result.stderr.startswith("error:")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-quic", "--no-first-run",
                  "--disable-component-update", "--disable-sync"]


def _dump_dom(html_path, fragment, tmp_path) -> str:
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium not installed (Debian: apt-get install -y chromium)")
    profile = tmp_path / f"profile-{abs(hash(fragment))}"
    cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
           html_path.as_uri() + fragment]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("fragment, shown", [
    ("", 4),  # rejected rows start hidden
    ("#origin=aligned,mt,untranslated,rejected", 5),
    ("#origin=aligned&min=0.5", 1),  # only the 0.92 pair
    ("#origin=mt", 1),
    ("#q=viewers", 1),  # text search, English
    ("#q=%D8%A7%D9%84%D8%B1%D9%82%D8%A9", 1),  # text search, Arabic (الرقة)
    ("#q=seeds/004", 3),  # document names are searched too (rejected ones stay hidden)
])
def test_filters_run_in_headless_chromium(corpus_tsv, tmp_path, fragment, shown):
    html_path = write_review(corpus_tsv, tmp_path / "review.html")
    dom = _dump_dom(html_path, fragment, tmp_path)
    assert f'data-shown="{shown}"' in dom
    assert f"{shown} of 5 rows shown" in dom
    hidden = len(re.findall(r'<tr class="row[^"]* hidden"', dom))
    assert hidden == 5 - shown
    assert "الرقة بعد البوكمال" in dom


def test_sort_by_score_in_headless_chromium(corpus_tsv, tmp_path):
    html_path = write_review(corpus_tsv, tmp_path / "review.html")
    dom = _dump_dom(html_path, "#sort=asc", tmp_path)
    scores = re.findall(r'<tr class="row[^"]*" data-origin="[^"]*" data-score="([^"]*)"', dom)
    assert scores[:2] == ["0.3500", "0.9200"]  # lowest first, rows without a score after
    assert set(scores[2:]) == {""}
    dom = _dump_dom(html_path, "#sort=desc", tmp_path)
    scores = re.findall(r'<tr class="row[^"]*" data-origin="[^"]*" data-score="([^"]*)"', dom)
    assert scores[:2] == ["0.9200", "0.3500"]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "hf", "tmx", "moses"])
def test_review_reads_every_format(tmp_path, fmt):
    files = write_corpus(PAIRS, tmp_path / "out", format=fmt, untranslated=UNTRANSLATED,
                         rejects=REJECTS, signature=make_signature({"norm": "match"}))
    out = tmp_path / "review.html"
    result = runner.invoke(app, ["review", str(files.main[0]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    parsed = _Collector()
    parsed.feed(out.read_text(encoding="utf-8"))
    assert [r["origin"] for r in parsed.rows] == ["aligned", "aligned", "mt", "untranslated",
                                                  "rejected"]
    assert parsed.rows[0]["ar"] == PAIRS[0].ar and parsed.rows[1]["en"] == PAIRS[1].en


def test_source_context_around_the_span(tmp_path):
    # the source page, as `corpus align` read it (seeds/004 lines, shortened)
    page = tmp_path / "pages" / "p.txt"
    page.parent.mkdir()
    page.write_text("ناصر قنديل\nالرقة بعد البوكمال معادلة المرحلة المقبلة\nنوفمبر 7, 2017\n",
                    encoding="utf-8")
    pair = Pair(ar="الرقة بعد البوكمال معادلة المرحلة المقبلة", en=PAIRS[0].en,
                origin="aligned", doc="pages/p.txt", ar_ref="2:0-2:41", score=0.9)
    files = write_corpus([pair], tmp_path / "out.tsv")
    page_html = render_review(files.main[0], source_root=tmp_path)
    assert ('<mark>الرقة بعد البوكمال معادلة المرحلة المقبلة</mark>' in page_html)
    assert "ناصر قنديل\n<mark>" in page_html and "</mark>\nنوفمبر 7, 2017" in page_html
    # a document that cannot be found gives no context, and no error
    assert "<mark>" not in render_review(files.main[0], source_root=tmp_path / "elsewhere")
    assert "<mark>" not in render_review(files.main[0], context=False, source_root=tmp_path)
