"""Which encoding a page is read in: what it declares when that holds, else detection."""

from __future__ import annotations

import pytest

from crawlers.encoding import page_encoding
from parsers.charset import decode_html, detect_encoding

ENGLISH = "<p>The offensive resumed on Monday, the ministry said in a statement.</p>" * 20


def page(extra: str, meta: str | None = "utf-8") -> str:
    declaration = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{declaration}</head><body>{ENGLISH}<p>{extra}</p></body></html>"


def test_a_declared_charset_that_decodes_is_kept() -> None:
    body = page("“Quoted” text").encode("cp1252")
    assert page_encoding(body, "cp1252") == "cp1252"
    assert page_encoding(page("plain").encode(), "utf-8") == "utf-8"


def test_cp1256_bytes_labelled_utf8_are_read_as_cp1256() -> None:
    text = page("“The city is in full blockade,” he said. الجيش السوري يتقدم")
    body = text.encode("cp1256")  # header and <meta> both claim utf-8
    assert page_encoding(body, "utf-8") == "cp1256"
    assert decode_html(body, "utf-8") == text


def test_the_pages_own_meta_charset_overrules_a_wrong_header() -> None:
    text = page("Привет из Москвы", meta="windows-1251")
    assert detect_encoding(text.encode("cp1251"), "utf-8") == "cp1251"


@pytest.mark.parametrize(("extra", "encoding"), [
    ("Военные заявили, что освободили еще несколько деревень на востоке страны", "cp1251"),
    ("Ο στρατός ανακοίνωσε ότι ανακατέλαβε χωριά στα ανατολικά της χώρας", "cp1253"),
    ("日本の報道によると、軍は東部の村を奪還した", "shift_jis"),
    ("أعلن الجيش أنه استعاد عدة قرى في شرق البلاد", "cp1256"),
])
def test_undeclared_foreign_text_is_detected(extra: str, encoding: str) -> None:
    assert detect_encoding(page(extra, meta=None).encode(encoding)) == encoding


@pytest.mark.parametrize("extra", [
    "L’armée a déclaré lundi avoir repris plusieurs villages à l’est du pays.",
    "Die Armee erklärte, sie habe mehrere Dörfer im Osten zurückerobert; Pioniere räumen Straßen.",
])
def test_a_few_western_words_read_as_windows_1252(extra: str) -> None:
    """Latin-script words tie between legacy code pages: the web's default wins the tie."""
    body = page(extra, meta=None).encode("cp1252")
    assert detect_encoding(body) == "cp1252" and extra in decode_html(body)


def test_punctuation_alone_reads_as_windows_1252() -> None:
    """© and · cannot tell legacy encodings apart: the web's default reads them right."""
    body = page("© 2017 Example · all rights reserved", meta=None).encode("latin-1")
    assert detect_encoding(body) == "cp1252"
    assert "© 2017 Example · all rights reserved" in decode_html(body)


def test_byte_order_marks_win_and_are_dropped() -> None:
    assert detect_encoding("\ufeff<p>x</p>".encode("utf-16-le"), "utf-8") == "utf-16-le"
    assert decode_html("<p>é</p>".encode("utf-8-sig")) == "<p>é</p>"
