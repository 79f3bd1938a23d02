#!/usr/bin/env python3
"""Build a check set of bilingual web pages in other shapes than the site sample.

    make_site_checkset.py DEV_BENCH OUT_DIR [--seed 3]

From the translated pages of a bench split (DEV_BENCH/gold.jsonl: types a, b, d, e) it writes
one Arabic and one English HTML page per article, as real sites publish them: a header with
"Skip to content", a menu and a language menu, a related-articles box, a newsletter blurb and a
footer, all of it translated on the Arabic page (so furniture pairs with furniture if it is let
through). Articles are spread over six URL layouts, none of them the site sample's:

0. language folders with hreflang both ways (https://newsK.example/ar/SLUG, /en/SLUG);
1. language suffixes (SLUG.ar.html, SLUG.en.html), a canonical link, no hreflang;
2. a lang= query parameter in the canonical URL (article.php?id=N&lang=ar), file names that
   carry no language;
3. language subdomains in the canonical URL (ar.newsK.example, en.newsK.example);
4. no links at all and unrelated file names: content alone must pair them;
5. relative hreflang links and no canonical: the href resolves against the file itself.

Layouts 4 and 5 are built of <div>s (no <header>, <nav>, <main>, <footer>), as older
templates are.

Layouts 0-3 also get a near-duplicate English page at an unrelated address, linked by nothing,
and there the linked English leaves one sentence untranslated while the near-duplicate has
them all (it matches the Arabic better): the linked page must win. About every other Arabic
page (in every layout) keeps the site's English menus and footer (an untranslated template):
the page's own English is no translation. The Arabic-only pages (type c) are published alone,
some with an hreflang link to an English page that is not in the input; they must come out
untranslated.

Writes OUT_DIR/pages/..., OUT_DIR/pairs.tsv and OUT_DIR/gold_units.jsonl in the site-sample
format, so ../shared/bench/site-sample/score_site.py scores it. The units are the gold beads;
no furniture string is a unit, so every furniture row counts as unsupported. Stdlib only; the
output depends only on the arguments.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random

AR_MENU = ["الرئيسية", "أخبار", "رياضة", "اقتصاد", "من نحن", "اتصل بنا"]
EN_MENU = ["Home", "News", "Sport", "Business", "About us", "Contact us"]
LANGS = [("en", "English"), ("ar", "العربية"), ("fr", "Français"), ("fa", "فارسی"),
         ("es", "Español"), ("tr", "Türkçe")]
FURNITURE = {
    "skip": ("تخطي إلى المحتوى", "Skip to content"),
    "related": ("مقالات ذات صلة", "Related articles"),
    "newsletter": ("اشترك في نشرتنا الإخبارية لتصلك آخر الأخبار كل صباح في بريدك.",
                   "Subscribe to our newsletter to get the latest news in your inbox every "
                   "morning."),
    "rights": ("جميع الحقوق محفوظة لشبكة الأخبار، ويمنع نسخ المحتوى دون إذن مسبق.",
               "All rights reserved by the news network; copying the content without prior "
               "permission is prohibited."),
    "privacy": ("سياسة الخصوصية", "Privacy policy"),
    "terms": ("شروط الاستخدام", "Terms of use"),
}


def page_html(lang, title, paragraphs, *, canonical="", alternates=(), related=(),
              english_template=False, semantic=True):
    # english_template: the Arabic page keeps the site's English menus and footer (an
    # untranslated template, as on many real sites)
    side = 0 if lang == "ar" and not english_template else 1
    menu = AR_MENU if side == 0 else EN_MENU
    f = {k: v[side] for k, v in FURNITURE.items()}
    head = [f'<meta charset="utf-8"><title>{html.escape(title)}</title>']
    if canonical:
        head.append(f'<link rel="canonical" href="{html.escape(canonical)}">')
    for code, href in alternates:
        head.append(f'<link rel="alternate" hreflang="{code}" href="{html.escape(href)}">')
    body = [f'<header><a class="skip" href="#main">{f["skip"]}</a>',
            "<nav><ul>" + "".join(f'<li><a href="/{k}">{html.escape(m)}</a></li>'
                                  for k, m in enumerate(menu)) + "</ul></nav>",
            '<nav class="languages"><ul>' + "".join(
                f'<li><a hreflang="{c}" href="/{c}/">{n}</a></li>' for c, n in LANGS)
            + "</ul></nav></header>",
            f'<main id="main"><article><h1>{html.escape(paragraphs[0])}</h1>']
    body += [f"<p>{html.escape(p)}</p>" for p in paragraphs[1:]]
    body.append("</article>")
    if related:
        body.append(f'<aside><h2>{f["related"]}</h2><ul>' + "".join(
            f'<li><a href="/r/{k}">{html.escape(r)}</a></li>' for k, r in enumerate(related))
            + "</ul></aside>")
    body.append(f'</main><footer><div class="newsletter"><p>{f["newsletter"]}</p>'
                f'<a href="/subscribe">OK</a></div><p>{f["rights"]}</p>'
                f'<nav><a href="/privacy">{f["privacy"]}</a> <a href="/terms">{f["terms"]}</a>'
                "</nav></footer>")
    page = "\n".join(body)
    if not semantic:  # the same page built of <div>s, as older templates are
        for tag in ("header", "nav", "main", "article", "aside", "footer"):
            page = page.replace(f"<{tag} ", f'<div class="{tag}" ').replace(
                f"<{tag}>", f'<div class="{tag}">').replace(f"</{tag}>", "</div>")
    d = ' dir="rtl"' if lang == "ar" else ""
    return (f'<!doctype html>\n<html lang="{lang}"{d}><head>{"".join(head)}</head><body>\n'
            + page + "\n</body></html>\n")


def paragraphs(sentences, rng):
    """Headline (the first sentence) and paragraphs of 1-3 sentences."""
    out, k = [sentences[0]], 1
    while k < len(sentences):
        m = rng.randint(1, 3)
        out.append(" ".join(sentences[k:k + m]))
        k += m
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with open(os.path.join(a.bench, "gold.jsonl"), encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh]
    files, pairs, units = [], [], []
    headlines_ar = [g["ar"][str(g["ar_segs"][0][0])] for g in gold if g["ar_segs"]]
    headlines_en = [g["en"][str(g["en_segs"][0][0])] for g in gold if g["en_segs"]]
    for n, g in enumerate(gold):
        ar_sents = [" ".join(g["ar"][str(i)] for i in seg) for seg in g["ar_segs"]]
        distract = set(g.get("en_distractor") or [])
        en_sents = [" ".join(g["en"][str(i)] for i in seg) for seg in g["en_segs"]
                    if not distract & set(seg)]
        for ar_ids, en_ids in g["beads"]:
            units.append({"ar": " ".join(g["ar"][str(i)] for i in ar_ids),
                          "en": " ".join(g["en"][str(i)] for i in en_ids), "nested": False})
        site = f"news{n % 3}.example"
        slug = f"{g['doc'].split('.')[0]}-{rng.getrandbits(20):05x}"
        rel_ar = rng.sample(headlines_ar, 3)
        rel_en = rng.sample(headlines_en, 3)
        ar_par = paragraphs(ar_sents, rng)
        if not en_sents:  # Arabic only
            url = f"https://{site}/ar/{slug}"
            alts = [("en", f"https://{site}/en/{slug}")] if n % 2 else []
            files.append((f"{site}/ar/{slug}.html",
                          page_html("ar", ar_par[0], ar_par, canonical=url,
                                    alternates=alts + [("ar", url)], related=rel_ar)))
            pairs.append((f"{site}/ar/{slug}.html", ""))
            continue
        layout = n % 6
        full_en = list(en_sents)
        if layout <= 3 and len(en_sents) > 4:
            en_sents = en_sents[:2] + en_sents[3:]  # the linked page misses one sentence
        en_par = paragraphs(en_sents, rng)
        if layout == 0:
            ua, ue = f"https://{site}/ar/{slug}", f"https://{site}/en/{slug}"
            fa, fe = f"{site}/ar/{slug}.html", f"{site}/en/{slug}.html"
            alts = [("ar", ua), ("en", ue), ("x-default", ue)]
            ar_kw = dict(canonical=ua, alternates=alts)
            en_kw = dict(canonical=ue, alternates=alts)
        elif layout == 1:
            ua = f"https://{site}/stories/{slug}.ar.html"
            ue = f"https://{site}/stories/{slug}.en.html"
            fa, fe = f"{site}/stories/{slug}.ar.html", f"{site}/stories/{slug}.en.html"
            ar_kw, en_kw = dict(canonical=ua), dict(canonical=ue)
        elif layout == 2:
            ua = f"https://{site}/article.php?id={n}&lang=ar"
            ue = f"https://{site}/article.php?lang=en&id={n}"
            fa, fe = f"{site}/article-{n}-a.html", f"{site}/article-{n}-b.html"
            ar_kw, en_kw = dict(canonical=ua), dict(canonical=ue)
        elif layout == 3:
            ua, ue = f"https://ar.{site}/world/{slug}", f"https://en.{site}/world/{slug}"
            fa, fe = f"sub-{site}/one/{slug}.html", f"sub-{site}/two/{slug}.html"
            ar_kw, en_kw = dict(canonical=ua), dict(canonical=ue)
        elif layout == 4:
            fa = f"{site}/p{n}-{rng.getrandbits(16):04x}.html"
            fe = f"{site}/story-{rng.getrandbits(24):06x}.html"
            ar_kw, en_kw = {}, {}
        else:
            fa, fe = f"{site}/ar/{slug}.html", f"{site}/en/{slug}.html"
            ar_kw = dict(alternates=[("en", f"../en/{slug}.html")])
            en_kw = dict(alternates=[("ar", f"../ar/{slug}.html")])
        semantic = layout not in (4, 5)
        template = bool((n // 2) % 2)  # about every other page, in every layout
        files.append((fa, page_html("ar", ar_par[0], ar_par, related=rel_ar,
                                    english_template=template, semantic=semantic, **ar_kw)))
        files.append((fe, page_html("en", en_par[0], en_par, related=rel_en,
                                    semantic=semantic, **en_kw)))
        pairs.append((fa, fe))
        if layout <= 3 and len(full_en) > 4:
            dup_par = paragraphs(full_en, rng)
            files.append((f"{site}/archive/{rng.getrandbits(24):06x}.html",
                          page_html("en", dup_par[0], dup_par, related=rel_en)))
    for path, text in files:
        full = os.path.join(a.out, "pages", path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as fh:
            fh.write(text)
    with open(os.path.join(a.out, "pairs.tsv"), "w", encoding="utf-8") as fh:
        fh.write("ar_file\ten_file\n" + "".join(f"{p}\t{q}\n" for p, q in pairs))
    with open(os.path.join(a.out, "gold_units.jsonl"), "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(u, ensure_ascii=False) + "\n" for u in units)
    print(f"wrote {len(files)} pages, {sum(1 for _, e in pairs if e)} pairs, "
          f"{sum(1 for _, e in pairs if not e)} Arabic-only pages, {len(units)} units")


if __name__ == "__main__":
    main()
