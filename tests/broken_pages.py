"""A corpus of broken pages, generated at test time, with the text each must yield.

Each case is a file (name, bytes) built from a few real lines (Arabic and English, taken from
the seeds by the caller) and damaged the way crawled pages are damaged: bad bytes, NULs, a
truncated last character, a wrong or missing charset declaration, mojibake, deep or misnested
markup. ``must_yield`` are lines the reader must produce whole; ``warns`` says whether the
damage must be reported (a warning naming the file) because some bytes were lost or read
differently from what the file says.

Used by tests/test_read.py and scripts/bench_stress.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BrokenPage:
    name: str  # file name; its suffix decides text or HTML
    data: bytes
    must_yield: tuple[str, ...]  # lines that must come out whole
    warns: bool  # a warning naming the file is required


def _sloppy_cp1252(data: bytes) -> str:
    """Bytes read as Windows-1252, its five undefined bytes as Latin-1 (how browsers and
    editors produce mojibake)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def _html(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def broken_pages(arabic: list[str], english: list[str]) -> list[BrokenPage]:
    """The cases, from at least three Arabic and two English lines (plain sentences without
    markup characters)."""
    ar1, ar2, ar3 = arabic[:3]
    en1, en2 = english[:2]
    lines = [en1, ar1, en2, ar2, ar3]
    text = "\n".join(lines) + "\n"
    utf8 = text.encode("utf-8")
    cases = []

    # -- text files: a few bad bytes cost those bytes -----------------------------------
    bad = utf8.replace(en2.encode(), en2[:10].encode() + b"\xff\xfe" + en2[10:].encode())
    cases.append(BrokenPage("bad_bytes.txt", bad, (en1, ar1, ar2, ar3), True))
    cut = "\n".join(lines[:-1]).encode() + b"\n" + ar3.encode()[:-1]  # last character cut
    cases.append(BrokenPage("truncated_last_char.txt", cut, (en1, ar1, en2, ar2), True))
    nul = utf8.replace(ar1.encode(), ar1.encode() + b"\x00")
    cases.append(BrokenPage("nul_byte.txt", nul, (en1, en2, ar2, ar3), True))
    # the long line: its "،" (cp1256 A1) after some letters forms valid UTF-8 by chance
    pasted = (f"{en1}\n{ar1}\n".encode() + ar3.encode("cp1256") + f"\n{ar2}\n".encode())
    cases.append(BrokenPage("cp1256_line_in_utf8.txt", pasted, (en1, ar1, ar2, ar3), True))
    utf16 = text.encode("utf-16")[:-1]  # an odd byte count: the last unit cut
    cases.append(BrokenPage("utf16_truncated.txt", utf16, (en1, ar1, en2, ar2), True))
    moji = "\n".join([en1, _sloppy_cp1252(ar1.encode()), en2, ar2,
                      ar3.encode().decode("cp1256")]) + "\n"
    cases.append(BrokenPage("mojibake.txt", moji.encode("utf-8"), (en1, ar1, en2, ar2, ar3),
                            True))
    cases.append(BrokenPage("cp1256_undeclared.txt", text.encode("cp1256"), tuple(lines),
                            False))

    # -- HTML: declared charsets checked against the bytes ----------------------------
    paras = "".join(f"<p>{ln}</p>" for ln in lines)
    cases.append(BrokenPage(
        "latin1_declared_cp1256_bytes.html",
        _html(paras, '<meta charset="iso-8859-1">').encode("cp1256"), tuple(lines), True))
    cases.append(BrokenPage(
        "utf8_declared_cp1256_bytes.html",
        _html(paras, '<meta charset="utf-8">').encode("cp1256"), tuple(lines), True))
    cases.append(BrokenPage(
        "html_nul_and_bad_byte.html",
        _html(paras).encode().replace(ar2.encode(), b"\x00" + ar2.encode() + b"\xc3"),
        tuple(lines), True))

    # -- HTML: deep and misnested markup ---------------------------------------------
    for depth in (255, 3000, 20000):  # the deepest is read by the flat tag stripper: said
        body = "<div>" * depth + paras + "</div>" * depth
        cases.append(BrokenPage(f"nested_{depth}.html", _html(body).encode(), tuple(lines),
                                depth > 4000))
    many = [f"{ar1} {i}" for i in range(300)]
    fonts = "".join(f'<font color="red"><p>{ln}</p>' for ln in many)  # never closed
    cases.append(BrokenPage("unclosed_font_300.html", _html(fonts).encode(),
                            tuple(many[::37]) + (many[-1],), False))
    fonts2 = "".join(f"<p><font face=x><b>{ln}" for ln in many)  # nothing closed
    cases.append(BrokenPage("unclosed_p_font_b_300.html", _html(fonts2).encode(),
                            tuple(many[::37]) + (many[-1],), False))
    misnested = (f"<table><tr><td><p>{ar1}</td></p></tr>{en1}<div><span>{ar2}</div></span>"
                 f"</table></div></div><li>{ar3}<li>{en2}</ul>")
    cases.append(BrokenPage("misnested.html", _html(misnested).encode(),
                            (ar1, en1, ar2, ar3, en2), False))
    no_html = f"<p>{ar1}<p>{en1}<br>{ar2}"  # a fragment: no html, head or body
    cases.append(BrokenPage("fragment.html", no_html.encode(), (ar1, en1, ar2), False))
    return cases
