"""The site's own evidence of which page translates which: hreflang links and URL conventions.

Entry point: :func:`find_links`. It works from :class:`~corpus.types.Document` fields alone
(``url``, ``html_lang``, ``alternates``, ``path``), so pages read from HTML files, WARC
records and JSONL lines all take part, and it never looks at the text.

A page's *address* is its ``url`` (a WARC target URI, a JSONL ``url``, the canonical link
or the page's own hreflang entry) or, for a local file that tells none, its path. Two kinds
of evidence, strongest first:

- ``hreflang``: the Arabic page lists the English one as its ``<link rel="alternate"
  hreflang="en">`` (or the English page lists the Arabic one under ``ar``). A page that
  names its English (or Arabic) counterpart also says that no other page is it: see
  :attr:`Links.declared`.
- ``url``: the two addresses are the same but for the language, by the conventions sites
  use for any language: a folder (``/ar/x`` and ``/en/x``), a suffix (``x.ar.html`` and
  ``x.en.html``, ``x_ar`` and ``x_en``), a subdomain (``ar.site`` and ``en.site``), a query
  parameter (``?lang=ar`` and ``?lang=en``), or the Arabic address with its language part
  dropped (``/ar/x`` and ``/x``, the site's default language).

Nothing here knows any site: only language codes and these general shapes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from corpus.types import Document

# Language codes (and their common long forms in URLs) for the two sides; a region or
# script subtag may follow (ar-EG, en-GB, en_US).
AR_CODES = frozenset({"ar", "ara", "arabic"})
EN_CODES = frozenset({"en", "eng", "english"})
# Query parameters that carry the page's language.
LANG_PARAMS = frozenset({"lang", "language", "hl", "locale", "lng", "lan"})
# Pages whose declared language is one of these are not Arabic, although written in the
# Arabic script: the site's links are not taken as evidence for them.
_OTHER_ARABIC_SCRIPT = frozenset({"fa", "ur", "ps", "ku", "ckb", "sd", "ug", "prs", "pa"})

_SEPARATORS = re.compile(r"([/._\-])")
_INDEX = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.I)
_EXT = re.compile(r"\.(?:html?|php|aspx?|jsp|txt)$", re.I)


@dataclass(frozen=True)
class Link:
    en_doc: str  # Document.path of the English page
    found_by: str  # "hreflang" or "url"


@dataclass(frozen=True)
class Links:
    """What :func:`find_links` found for a set of documents.

    ``linked``: Arabic document path -> its English documents by the site's evidence,
    hreflang first. ``declared``: document path -> the addresses a page gives as its
    counterpart in the other language (an Arabic page's hreflang ``en``, an English page's
    ``ar``); a page that declares one is not the translation of a page at another address.
    ``address``: document path -> normalised address."""

    linked: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    declared: dict[str, frozenset[str]] = field(default_factory=dict)
    address: dict[str, str] = field(default_factory=dict)

    def of(self, ar_doc: str) -> tuple[Link, ...]:
        return self.linked.get(ar_doc, ())

    def found_by(self, ar_doc: str, en_doc: str) -> str:
        """How ``en_doc`` is linked to ``ar_doc`` ("hreflang", "url"), "" when it is not."""
        for link in self.linked.get(ar_doc, ()):
            if link.en_doc == en_doc:
                return link.found_by
        return ""

    def excludes(self, ar_doc: str, en_doc: str) -> bool:
        """True when one of the two pages names another page as its counterpart: the
        English page's Arabic is elsewhere, or the Arabic page's English is another page of
        the input. (An Arabic page whose named English is not in the input may still find
        it by content under another address: a redirect, a print or AMP copy.)"""
        if self.found_by(ar_doc, en_doc):
            return False
        a, e = self.address.get(ar_doc, ""), self.address.get(en_doc, "")
        ar_says = self.declared.get(ar_doc, frozenset())
        en_says = self.declared.get(en_doc, frozenset())
        if en_says and a not in en_says:
            return True
        present = set(self.address.values())
        return bool(ar_says & present) and e not in ar_says


def other_arabic_script(code: str) -> bool:
    """True for a declared language written in the Arabic script that is not Arabic (fa, ur,
    ps, ...): such a page's text is not Arabic, whatever its letters."""
    return bool(code) and _primary(code) in _OTHER_ARABIC_SCRIPT


def declared_side(code: str) -> str:
    """"ar", "en", "other" for a declared language code, "" when none is declared."""
    if not code:
        return ""
    return _side(code) or "other"


def _primary(code: str) -> str:
    return re.split(r"[-_]", code.lower(), maxsplit=1)[0]


def _side(code: str) -> str:
    p = _primary(code)
    return "ar" if p in AR_CODES else "en" if p in EN_CODES else ""


def _file_uri(path: str) -> str:
    try:
        return Path(path).resolve().as_uri()
    except (OSError, ValueError):
        return "file://" + path.replace("\\", "/")


def address_of(doc: Document) -> str:
    """The page's address as given (``url``) or its file path as a ``file:`` URI."""
    return doc.url or _file_uri(doc.path)


def normalise(url: str) -> str:
    """A comparable form of an address: no scheme, no fragment, lowercase host without
    ``www.``, no index page, no file extension, no trailing slash, sorted query."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    host = host[4:] if host.startswith("www.") else host
    path = _INDEX.sub("/", parts.path or "/")
    path = _EXT.sub("", path).rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{host}{path}" + (f"?{query}" if query else "")


def _language_keys(url: str) -> list[tuple[str, str]]:
    """(side, key) for each language marker of the address: the side ("ar"/"en") and the
    address with that marker replaced by a placeholder. ``/ar/x`` gives ("ar", "/{L}/x");
    its language-less form ("ar", "/x" as "0:" key) is also given, for sites whose default
    language has no marker."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    host = host[4:] if host.startswith("www.") else host
    path = _INDEX.sub("/", parts.path or "/")
    path = _EXT.sub("", path).rstrip("/") or "/"
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    out: list[tuple[str, str]] = []

    def key(h: str, p: str, q: list) -> str:
        return f"{h}{p}" + (f"?{urlencode(q)}" if q else "")

    # subdomain: ar.site.org / en.site.org
    labels = host.split(".")
    if len(labels) > 2 and _side(labels[0]):
        out.append((_side(labels[0]), "s:" + key("{L}." + ".".join(labels[1:]), path, query)))
        out.append((_side(labels[0]), "0:" + key(".".join(labels[1:]), path, query)))
    # path tokens: folders, suffixes, name parts
    tokens = _SEPARATORS.split(path)
    for i, tok in enumerate(tokens):
        side = _side(tok) if tok and not _SEPARATORS.fullmatch(tok) else ""
        if not side or (i > 0 and tokens[i - 1] not in "/._-") or len(tok) > 8:
            continue
        # "ar" must stand alone between separators (not the "ar" of "/archive")
        swapped = tokens[:i] + ["{L}"] + tokens[i + 1:]
        out.append((side, "p:" + key(host, "".join(swapped), query)))
        dropped = tokens[:max(0, i - 1)] + tokens[i + 1:] if i > 0 else tokens[i + 1:]
        out.append((side, "0:" + key(host, "".join(dropped).rstrip("/") or "/", query)))
    # query parameter: ?lang=ar
    for k, (name, value) in enumerate(query):
        side = _side(value) if name.lower() in LANG_PARAMS else ""
        if side:
            q = query[:k] + [(name, "{L}")] + query[k + 1:]
            out.append((side, "q:" + key(host, path, q)))
            out.append((side, "0:" + key(host, path, query[:k] + query[k + 1:])))
    return out


def _resolve(doc: Document, href: str) -> str:
    """An alternate's href made absolute: against the page's URL when it has one (the
    reader already did this), else against the file's own location."""
    if urlsplit(href).scheme:
        return href
    return urljoin(address_of(doc), href)


def find_links(documents: Iterable[Document]) -> Links:
    """Arabic → English document pairs by the site's own evidence (see the module doc).

    A document takes part on the Arabic side unless it declares a language that is not
    Arabic (``<html lang>``), and on the English side unless it declares one that is not
    English; which documents really hold Arabic or English text is for the caller to know.
    Several English documents may be linked to one Arabic one (duplicate copies, a link
    both by hreflang and by URL): hreflang ones come first, then by path."""
    docs = sorted(documents, key=lambda d: d.path)
    address = {d.path: normalise(address_of(d)) for d in docs}
    by_address: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        by_address[address[d.path]].append(d.path)
        # a local file that names its own URL is also reachable by its path
        if d.url:
            by_address[normalise(_file_uri(d.path))].append(d.path)
    declared_lang = {d.path: _side(d.html_lang) if d.html_lang else "?" for d in docs}
    can_ar = {d.path for d in docs if declared_lang[d.path] in ("ar", "?")
              and _primary(d.html_lang or "") not in _OTHER_ARABIC_SCRIPT}
    can_en = {d.path for d in docs if declared_lang[d.path] in ("en", "?")}

    found: dict[str, dict[str, str]] = defaultdict(dict)
    declared: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        for code, href in d.alternates:
            side = _side(code)
            target = normalise(_resolve(d, href))
            if target == address[d.path]:
                continue  # the page's own entry
            if side == "en" and d.path in can_ar:
                declared[d.path].add(target)
                for e in by_address.get(target, ()):
                    if e in can_en and e != d.path:
                        found[d.path][e] = "hreflang"
            elif side == "ar" and d.path in can_en:
                declared[d.path].add(target)
                for a in by_address.get(target, ()):
                    if a in can_ar and a != d.path:
                        found[a][d.path] = "hreflang"

    # URL conventions: same key with the language marker swapped or dropped
    keyed: dict[tuple[str, str], set[str]] = defaultdict(set)
    plain: dict[str, set[str]] = defaultdict(set)  # normalised address -> docs
    for d in docs:
        plain[address[d.path]].add(d.path)
        for side, k in _language_keys(address_of(d)):
            keyed[(side, k)].add(d.path)
    for (side, k), ar_docs in sorted(keyed.items()):
        if side != "ar":
            continue
        if k.startswith("0:"):
            # the Arabic address without its marker: the default-language page
            partners = plain.get(k[2:], set())
        else:
            partners = keyed.get(("en", k), set())
        for a in sorted(ar_docs):
            if a not in can_ar:
                continue
            for e in sorted(partners):
                if e in can_en and e != a and e not in found[a]:
                    found[a][e] = "url"

    linked = {a: tuple(Link(e, how) for e, how in sorted(es.items(),
                                                         key=lambda x: (x[1] != "hreflang",
                                                                        x[0])))
              for a, es in found.items() if es}
    return Links(linked=linked, declared={p: frozenset(s) for p, s in declared.items()},
                 address=address)
