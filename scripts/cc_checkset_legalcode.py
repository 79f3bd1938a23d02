"""The by-nd 4.0 legal code pair, built on the sample's by-nc-nd 4.0 legal code (same template).

Arabic: sections 1-5 verbatim from the served by-nd page (cc-licenses-artifacts, commit 0159d81,
docs/licenses/by-nd/4.0/legalcode.ar.html, kept in src/), the rest of the page from by-nc-nd with
the licence's name. The verbatim part is not in the repository: put the served page's text from
'<div id="legal-code-body">' up to '<!-- Section 6. Term and Termination -->' in
OUT/src/by-nd_4.0_legalcode.ar.s1-5.html (OUT: make_cc_checkset.py's output folder). English: by-nc-nd's page with the clauses in which the two licences differ
(the NonCommercial definition, 2(a)(1)(A)-(B), 2(b)(3), 4(a)) in the by-nd wording."""
import html, os, re



def _common(t, lang):
    names = {"ar": ("نَسْبُ الـمُصنَّف، غير تجاري، منع الاشتقاق", "نَسْبُ الـمُصنَّف، منع الاشتقاق"),
             "en": ("Attribution-NonCommercial-NoDerivatives", "Attribution-NoDerivatives")}[lang]
    t = t.replace("by-nc-nd/4.0", "by-nd/4.0").replace("CC BY-NC-ND 4.0", "CC BY-ND 4.0").replace(*names)
    t = re.sub(r'      <span class="cc-icon">\n       <svg viewbox="0 0 30 30">\n        <use href="[^"]*#cc-nc">\n        </use>\n       </svg>\n      </span>\n', "", t)
    return t


def pages(sample_dir, src_dir):
    ar = open(f"{sample_dir}/legalcode.ar.html", encoding="utf-8").read()
    en = open(f"{sample_dir}/legalcode.en.html", encoding="utf-8").read()
    body = open(f"{src_dir}/by-nd_4.0_legalcode.ar.s1-5.html", encoding="utf-8").read()
    i, j = ar.index('<div id="legal-code-body">'), ar.index("<!-- Section 6. Term and Termination -->")
    ar = _common(ar[:i] + body.rstrip(" ") + ar[j:], "ar")
    en = _common(en, "en")
    en = re.sub(r'      <li id="s1h_noncommercial">.*?\n      </li>\n', "", en, count=1, flags=re.S)
    en = en.replace('id="s1i_share"', 'id="s1h_share"').replace('id="s1j_sui_generis_database_rights"', 'id="s1i_sui_generis_database_rights"').replace('id="s1k_you"', 'id="s1j_you"')
    for a, b in [("reproduce and Share the Licensed Material, in whole or in part, for NonCommercial purposes only; and", "reproduce and Share the Licensed Material, in whole or in part; and"),
                 ("produce and reproduce, but not Share, Adapted Material for NonCommercial purposes only.", "produce and reproduce, but not Share, Adapted Material."),
                 ("reserves any right to collect such royalties, including when the Licensed Material is used other than for NonCommercial purposes.", "reserves any right to collect such royalties."),
                 ("contents of the database for NonCommercial purposes only and provided You do not Share Adapted Material;", "contents of the database, provided You do not Share Adapted Material;")]:
        assert a in en, a
        en = en.replace(a, b)
    return ar, en


def _text(fragment):
    fragment = re.sub(r"<ol\b.*?</ol>", " ", fragment, flags=re.S)  # an item's own text
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def units(ar, en):
    """The legal code's translation units: the elements with the same id on both pages (each is
    one string of the site's translation file), their underlined or bold labels, the headings."""
    def items(t):
        body = t[t.index('<div id="legal-code-body">'):]
        out = {}
        for m in re.finditer(r'<(li|h[23]|p) id="([^"]+)"[^>]*>(.*?)</\1>', body, flags=re.S):
            out[m.group(2)] = m.group(3)
        return out
    a, e = items(ar), items(en)
    def plain(t):  # paragraphs without an id, in order (the same template on both pages)
        body = t[t.index('<div id="legal-code-body">'):]
        return re.findall(r"<p>(.*?)</p>", body, flags=re.S)
    # the English 3(a)(1) opens with a paragraph of its own that the Arabic item holds inline
    pa = plain(ar)
    pe = [x for x in plain(en) if not x.strip().startswith("If You Share the Licensed Material")]
    if len(pa) == len(pe):
        a.update({f"p{k}": x for k, x in enumerate(pa)})
        e.update({f"p{k}": x for k, x in enumerate(pe)})
    u = []
    for k in a:
        if k in e:
            u.append((_text(a[k]), _text(e[k]), False))
            la = re.match(r'\s*<(span|strong)[^>]*>(.*?)</\1>', a[k], flags=re.S)
            le = re.match(r'\s*<(span|strong)[^>]*>(.*?)</\1>', e[k], flags=re.S)
            if la and le:
                u.append((_text(la.group(2)), _text(le.group(2)), True))
    return [x for x in u if x[0] and x[1]]
