#!/usr/bin/env python3
"""Build the cc-site check set: real creativecommons.org deeds, rebuilt. Stdlib only.

    python3 scripts/make_cc_checkset.py [OUT]   (default /work/checksets/cc-site)

Writes OUT/seen and OUT/unseen, each with pages/ (the site's paths), pairs.tsv and
gold_units.jsonl in ../shared/bench/site-sample/score_site.py's format. See
docs/benchmarks/site.md ("cc-site check set") for what is in it and how it was made.

Pages are rebuilt from the site's own deed template (the site-sample deeds, served pages of
creativecommons.org) with the site's own strings (locale/ar/LC_MESSAGES/django.po of
creativecommons/cc-legal-tools-data and the served 4.0 deeds of that repository), the way the site
renders a deed: path, names, rights, terms and footnotes per licence. With
OUT/src/by-nd_4.0_legalcode.ar.s1-5.html present (see cc_checkset_legalcode.py), the seen part
also gets the by-nd 4.0 legal code pair.
"""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cc_checkset_old_template as old_template
import cc_checkset_legalcode as legalcode

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "site-sample")
OUT = sys.argv[1] if len(sys.argv) > 1 else "/work/checksets/cc-site"
T = {l: open(f"{SAMPLE}/pages/licenses/{p}", encoding="utf-8").read() for l, p in
     [("ar", "by-nc-nd/2.0/at/deed.ar.html"), ("en", "by-nc-nd/2.0/at/deed.en.html"), ("fa", "by-nc-nd/4.0/deed.fa.html")]}

EL = {"by": "by", "by-sa": "by sa", "by-nc": "by nc", "by-nd": "by nd", "by-nc-sa": "by nc sa", "by-nc-nd": "by nc nd"}
NAME_OLD = {"ar": {"by": "نَسب المُصنَّف", "nc": "غير تجاري", "sa": "الترخيص بالمثل", "nd": "منع الاشتقاق", "sep": " - "},
            "en": {"by": "Attribution", "nc": "NonCommercial", "sa": "ShareAlike", "nd": "NoDerivs", "sep": "-"}}
NAME_40 = {"ar": {"by": "نَسْبُ الـمُصنَّف", "nc": "غير تجاري", "sa": "الترخيص بالمثل", "nd": "منع الاشتقاق", "sep": "، "},
           "en": {"by": "Attribution", "nc": "NonCommercial", "sa": "ShareAlike", "nd": "NoDerivatives", "sep": "-"},
           "fa": {"by": "ارجاع", "nc": "غیر تجاری", "nd": "غیر مشتق", "sep": " - "}}
JUR = {"": {"ar": "غير موطَّنة", "en": "Unported"}, "at": {"ar": "النمسا", "en": "Austria", "code": "AT", "lc": "de", "dflt": ("de", "Deutsch")},
       "nl": {"ar": "هولندا", "en": "Netherlands", "code": "NL", "lc": "nl", "dflt": ("nl", "Nederlands")},
       "eg": {"ar": "مصر", "en": "Egypt", "code": "EG", "lc": "ar", "dflt": ("ar", "العربيّة")}}
INTL = {"ar": "دولي", "en": "International", "fa": "بین‌المللی", "fr": "International", "es": "International"}

def name(lic, ver, lang):
    n = (NAME_40 if ver == "4.0" else NAME_OLD)[lang if lang in ("ar", "fa") else "en"]
    return n["sep"].join(n[e] for e in EL[lic].split())

ANY = {"ar": "لأي غرض، بما في ذلك تجارياً.", "en": "for any purpose, even commercially."}
ADAPT = {"ar": ("التعديل", "المزج، التحويل، والإضافة على العمل."), "en": ("Adapt", "remix, transform, and build upon the material")}
SA = {"ar": ("الترخيص بالمثل", "إذا قمت بأي تعديل، تغيير، أو إضافة على هذا العمل، فيجب عليك توزيع العمل الناتج", "بنفس شروط ترخيص", "العمل الأصلي."),
      "en": ("ShareAlike", "If you remix, transform, or build upon the material, you must distribute your contributions under the", "same license", "as the original.")}
NOTICE40 = {"ar": ["هذا السند يبرز فقط بعض البنود والخصائص الأساسية للرخصة الفعلية. فهو ليس الرخصة نفسها وليس له أي قيمة قانونية. عليك مراجعة بنود الرخصة الفعلية بعناية قبل استخدام المواد المرخصة بها.",
                   "لا تعتبر مؤسسة المشاع الإبداعي شركة محاماة كما انها لا تقدم خدمات أو استشارات قانونية. ان توزيع رخص المشاع الإبداعي العمومية لا تنشيء علاقة المحامي وموكله أو أي علاقة أخرى."],
            "en": ["This deed highlights only some of the key features and terms of the actual license. It is not a license and has no legal value. You should carefully review all of the terms and conditions of the actual license before using the licensed material.",
                   "Creative Commons is not a law firm and does not provide legal services. Distributing, displaying, or linking to this deed or the license that it summarizes does not create a lawyer-client or any other relationship."]}
# French / Spanish deeds: the English template with the deed body's own strings in that language.
FR = [("You are free to:", "Vous êtes autorisé à :"), ("Share\n", "Partager\n"), ("— copy and redistribute the material in any medium or format", "— copier, distribuer et communiquer le matériel par tous moyens et sous tous formats"),
      ("The licensor cannot revoke these freedoms as long as you follow the license terms.", "L'Offrant ne peut retirer les autorisations concédées par la licence tant que vous appliquez les termes de cette licence."),
      ("Under the following terms:", "Selon les conditions suivantes :"), ("No additional restrictions", "Pas de restrictions complémentaires"),
      ("Notices:", "Notes:"), (ANY["en"], "pour toute utilisation, y compris commerciale."), ("Adapt\n", "Adapter\n"),
      (ADAPT["en"][1], "remixer, transformer et créer à partir du matériel")]
ES = [("You are free to:", "Usted es libre de:"), ("Share\n", "Compartir\n"), ("— copy and redistribute the material in any medium or format", "— copiar y redistribuir el material en cualquier medio o formato"),
      ("The licensor cannot revoke these freedoms as long as you follow the license terms.", "La licenciante no puede revocar estas libertades en tanto usted siga los términos de la licencia."),
      ("Under the following terms:", "Bajo los siguientes términos:"), ("No additional restrictions", "No hay restricciones adicionales"),
      ("Notices:", "Avisos:"), (ANY["en"], "para cualquier propósito, incluso comercialmente."), ("Adapt\n", "Adaptar\n"),
      (ADAPT["en"][1], "remezclar, transformar y construir a partir del material")]

def li(cls, strong, body):
    c = f' class="{cls}"' if cls else ""
    return f"      <li{c}>\n       <strong>\n        {strong}\n       </strong>\n       {body}\n      </li>\n"

def page(lic, ver, jur, lang):
    base = "fa" if lang == "fa" else ("ar" if lang == "ar" else "en")
    t = T[base]
    old_path, old_name = ("by-nc-nd/4.0", name("by-nc-nd", "4.0", "fa")) if base == "fa" else ("by-nc-nd/2.0/at", name("by-nc-nd", "2.0", base))
    path = f"{lic}/{ver}/{jur}" if jur else f"{lic}/{ver}"
    old_suffix = INTL["fa"] if base == "fa" else JUR["at"][base]
    old_ident = "CC BY-NC-ND 4.0" if base == "fa" else "CC BY-NC-ND 2.0 AT"
    t = t.replace(old_path + "/", path + "/").replace(old_path + "\"", path + "\"")
    suffix = INTL[lang] if ver == "4.0" else JUR[jur][base if base != "fa" else "en"]
    full = f"{name(lic, ver, lang)} {ver} {suffix}"
    t = re.sub(r"(<title>\n\s*Deed - )[^\n]*", lambda m: m.group(1) + full, t, count=1)
    t = re.sub(r"(<main>\n   <header>\n    <h1>\n\s*)[^\n]*", lambda m: m.group(1) + full, t, count=1)
    t = t.replace(old_ident, f"CC {lic.upper()} {ver}" + (f" {JUR[jur]['code']}" if jur else ""))
    t = t.replace(f'lang="{base}"', f'lang="{lang}"', 1).replace(f"/deed.{base}\" rel=\"canonical\"", f"/deed.{lang}\" rel=\"canonical\"")
    # x-default: the jurisdiction's language, else English
    d = JUR[jur]["dflt"] if jur else ("en", "English")
    t = re.sub(r"<!-- Default: [^>]*-->\n  <link href=\"([^\"]*)/deed\.[a-z-]+\" hreflang=\"x-default\"",
               lambda m: f"<!-- Default: {d[1]} -->\n  <link href=\"{m.group(1)}/deed.{d[0]}\" hreflang=\"x-default\"", t)
    # icons
    icons = "".join(f'      <span class="cc-icon">\n       <svg viewbox="0 0 30 30">\n        <use href="/wp-content/themes/vocabulary-theme/vocabulary/svg/cc/icons/cc-icons.svg#cc-{e}">\n        </use>\n       </svg>\n      </span>\n'
                    for e in ["logo"] + EL[lic].split())
    t = re.sub(r'(<span class="tool-icons">\n)(.*?)(     </span>\n     <span class="tool-identifier">)', lambda m: m.group(1) + icons + m.group(3), t, flags=re.S)
    # notice of the newer licence
    if ver == "4.0":
        t = re.sub(r'    <div class="notice-top" id="notice-newer-license">.*?\n    </div>\n', "", t, flags=re.S)
    else:
        rel = "../../4.0" if jur else "../4.0"
        t = re.sub(r'<a href="\.\./\.\./4\.0/deed\.(\w+)">\n(\s*)Deed - [^\n]*',
                   lambda m: f'<a href="{rel}/deed.{m.group(1)}">\n{m.group(2)}Deed - {name(lic, "4.0", base)} 4.0 {INTL[base]}', t)
    lc = ("en" if base == "fa" else lang) if ver == "4.0" else (JUR[jur]["lc"] if jur else "en")
    t = re.sub(r'(<div class="alt-view">\n\s*<a href=")legalcode\.[\w-]+', lambda m: m.group(1) + "legalcode." + lc, t)
    els = EL[lic].split()
    if base in ("ar", "en"):
        # rights
        share_end = "نسخ وتوزيع ونقل العمل لأي وسط أو شكل." if base == "ar" else "copy and redistribute the material in any medium or format"
        extra = "" if "nc" in els else "\n       " + ANY[base]
        rights = li("", "المشاركة" if base == "ar" else "Share", "— " + share_end + extra)
        if "nd" not in els:
            rights += li("", ADAPT[base][0], "— " + ADAPT[base][1] + extra)
        t = re.sub(r'(<h2 id="rights">\n[^\n]*\n[^\n]*\n     <ol>\n)      <li>\n       <strong>.*?      </li>\n', lambda m: m.group(1) + rights, t, count=1, flags=re.S)
        # SA clause after NC (or BY)
        if "sa" in els:
            s = SA[base]
            sa = (f'      <li class="cc-sa">\n       <strong>\n        {s[0]}\n       </strong>\n       — {s[1]}\n'
                  f'       <a href="#ref-same-license" id="src-same-license">\n        {s[2]}\n       </a>\n       {s[3]}\n      </li>\n')
            anchor = '      <li class="cc-nd">'
            t = t.replace(anchor, sa + anchor, 1)
    # drop the clauses (and their footnotes) the licence does not have
    for e, note in (("nc", "commercial-purposes"), ("nd", "some-kinds-of-mods")):
        if e not in els:
            t = re.sub(rf'      <li class="cc-{e}">.*?\n      </li>\n', "", t, count=1, flags=re.S)
            t = re.sub(rf'       <li>\n        <article class="note" id="ref-{note}">.*?\n       </li>\n', "", t, count=1, flags=re.S)
    if ver == "4.0" and base in ("ar", "en") and 'id="notice-40"' not in t:
        n = NOTICE40[base]
        block = (f'    <div class="notice-bottom" id="notice-40">\n     <h2 class="icon-attach fa-info">\n      Notice\n     </h2>\n'
                 f'     <p>\n      {n[0]}\n     </p>\n     <p>\n      {n[1]}\n     </p>\n    </div>\n')
        t = t.replace('    </div>\n    <div>\n     <p>\n      Creative Commons is the nonprofit', '    </div>\n' + block + '    <div>\n     <p>\n      Creative Commons is the nonprofit', 1)
    if lang in ("fr", "es"):
        for a, b in (FR if lang == "fr" else ES):
            t = t.replace(a, b)
        t = t.replace('<html dir="ltr" lang="en">', f'<html dir="ltr" lang="{lang}">')
    return path, t

def units(lic, ver, jur):
    """Translation units the site renders this deed from (beyond the ones every deed shares)."""
    u = [(name(lic, ver, "ar"), name(lic, ver, "en"), False)]
    u += [(NAME_OLD["ar"][e], NAME_OLD["en"][e], True) for e in EL[lic].split()] + [(NAME_40["ar"]["nd"], NAME_40["en"]["nd"], False)]
    u += [(JUR[jur]["ar"], JUR[jur]["en"], False)] if jur else ([(INTL["ar"], INTL["en"], False)] if ver == "4.0" else [(JUR[""]["ar"], JUR[""]["en"], False)])
    if ver != "4.0":
        u += [(name(lic, "4.0", "ar"), name(lic, "4.0", "en"), True), (INTL["ar"], INTL["en"], True)]
    else:
        u += [tuple(p) + (False,) for p in zip(NOTICE40["ar"], NOTICE40["en"])]
    els = EL[lic].split()
    if "nc" not in els:
        u.append((ANY["ar"], ANY["en"], False))
    if "nd" not in els:
        u.append((ADAPT["ar"][0] + " — " + ADAPT["ar"][1], ADAPT["en"][0] + " — " + ADAPT["en"][1], False))
        u.append((ADAPT["ar"][0], ADAPT["en"][0], True))
    if "sa" in els:
        u.append((SA["ar"][0], SA["en"][0], False))
        u.append((" ".join(SA["ar"][1:]), " ".join(SA["en"][1:]), False))
        u.append((SA["ar"][2], SA["en"][2], True))
    return u

# (licence, version, jurisdiction, languages, part)
PAGES = [(l, "4.0", "", "ar en", "seen") for l in ("by", "by-sa", "by-nc", "by-nc-nd")] + \
        [(l, "4.0", "", "ar en", "unseen") for l in ("by-nd", "by-nc-sa")] + \
        [(l, "3.0", "", "ar en", "seen") for l in ("by", "by-sa", "by-nc", "by-nd", "by-nc-sa")] + \
        [("by-nc-nd", "3.0", "", "en", "seen"), ("by-nc", "3.0", "nl", "ar en", "seen"), ("by-nd", "3.0", "nl", "ar en", "seen"),
         ("by-sa", "3.0", "nl", "ar", "seen"), ("by-nc-sa", "3.0", "nl", "en", "seen"),
         ("by", "4.0", "", "fa", "seen"), ("by-nc", "4.0", "", "fa", "seen"), ("by-sa", "4.0", "", "fr", "seen")] + \
        [(l, "2.0", "at", "ar en", "unseen") for l in ("by", "by-sa", "by-nc", "by-nd")] + \
        [("by-nc-sa", "2.0", "at", "ar", "unseen"), ("by-nc-nd", "3.0", "eg", "ar en", "unseen"), ("by", "3.0", "eg", "ar", "unseen"),
         ("by-nd", "4.0", "", "fa", "unseen"), ("by-sa", "4.0", "", "es", "unseen")]

def main():
    common = {}
    for l in open(f"{SAMPLE}/gold_units.jsonl", encoding="utf-8"):
        u = json.loads(l)
        if "/deed." in u["ar_url"]:
            common[(u["ar"], u["en"])] = u["nested"]
    for part in ("seen", "unseen"):
        root = f"{OUT}/{part}"
        pairs, gold = [], dict(common)
        for lic, ver, jur, langs, p in PAGES:
            if p != part:
                continue
            langs = langs.split()
            for lang in langs:
                if ver == "3.0" and not jur and lang in ("ar", "en"):  # the older template
                    path = f"{lic}/{ver}"
                    text = old_template.page(lic, EL[lic].split(), ver, lang, f"{name(lic, ver, lang)} {ver} {JUR[''][lang]}",
                                             f"{name(lic, '4.0', lang)} 4.0 {INTL[lang]}")
                else:
                    path, text = page(lic, ver, jur, lang)
                f = f"{root}/pages/licenses/{path}/deed.{lang}.html"
                os.makedirs(os.path.dirname(f), exist_ok=True)
                open(f, "w", encoding="utf-8").write(text)
            rel = lambda lang: f"licenses/{path}/deed.{lang}.html"
            if "ar" in langs:
                pairs.append((rel("ar"), rel("en") if "en" in langs else ""))
                for a, e, n in units(lic, ver, jur):
                    gold.setdefault((a, e), n)
        src = f"{OUT}/src/by-nd_4.0_legalcode.ar.s1-5.html"
        if part == "seen" and os.path.exists(src):  # the by-nd 4.0 legal code pair
            ar, en = legalcode.pages(f"{SAMPLE}/pages/licenses/by-nc-nd/4.0", os.path.dirname(src))
            for lang, text in (("ar", ar), ("en", en)):
                f = f"{root}/pages/licenses/by-nd/4.0/legalcode.{lang}.html"
                os.makedirs(os.path.dirname(f), exist_ok=True)
                open(f, "w", encoding="utf-8").write(text)
            pairs.append(("licenses/by-nd/4.0/legalcode.ar.html", "licenses/by-nd/4.0/legalcode.en.html"))
            for a, e, n in legalcode.units(ar, en):
                gold.setdefault((a, e), n)
        with open(f"{root}/pairs.tsv", "w", encoding="utf-8") as f:
            f.write("ar_file\ten_file\n" + "".join(f"{a}\t{e}\n" for a, e in pairs))
        with open(f"{root}/gold_units.jsonl", "w", encoding="utf-8") as f:
            for (a, e), n in sorted(gold.items()):
                f.write(json.dumps({"ar": a, "en": e, "nested": n}, ensure_ascii=False) + "\n")
        print(part, len(pairs), "Arabic pages,", sum(1 for _ in os.popen(f"find {root}/pages -type f")), "pages,", len(gold), "units")

if __name__ == "__main__":
    main()
