"""Bad input through parse_article: a clear ArticleParseError when there is no article, and
every word kept when there is one (broken markup, wrong or missing charset declarations)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from demo.site.content import Article as SiteArticle
from demo.site.content import load_articles
from demo.site.hostile_content import malformed_html
from demo.site.pages import SitePages
from parsers.article import ArticleParseError, parse_article

STORY = ("Government forces retook 14 villages east of the river during the past week, the "
         "military command said on Tuesday, adding that engineers were clearing roads.")
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Front line</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Villages retaken</h1><p>{STORY}</p><p>{STORY}</p></article></body></html>"""
SAMPLE_ARTICLES = load_articles()
SAMPLE_SITE = SitePages(SAMPLE_ARTICLES, [], "http://127.0.0.1:8000")


@pytest.mark.parametrize("page", ["", "   \n\t ", b"", b"  \r\n"])
def test_an_empty_page_is_refused(page: str | bytes) -> None:
    with pytest.raises(ArticleParseError, match="empty page"):
        parse_article(page)


@pytest.mark.parametrize(("body", "kind"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj", "a PDF document"),
    (gzip.compress(PAGE.encode()), "gzip-compressed data"),
    (zlib.compress(PAGE.encode()) + bytes(64), "binary data"),
    (bytes(range(32)) * 40, "binary data"),
])
def test_a_binary_body_is_refused_saying_what_it_is(body: bytes, kind: str) -> None:
    with pytest.raises(ArticleParseError, match=f"not an HTML page: the body is {kind}"):
        parse_article(body)


def test_a_binary_file_read_as_text_is_refused() -> None:
    garbled = bytes(range(256)).decode("utf-8", errors="replace") * 8
    with pytest.raises(ArticleParseError, match="not an HTML page"):
        parse_article(garbled)


@pytest.mark.parametrize("page", [
    # a section front: a menu and headlines, no running text
    "<html><body><nav><ul>" + "".join(f'<li><a href="/s/{i}">Section {i}</a></li>\n'
                                      for i in range(30))
    + "</ul></nav><div>" + "".join(f'<div><a href="/n/{i}">Ministers meet, headline {i}</a></div>'
                                    for i in range(30)) + "</div></body></html>",
    # a media page whose player is all there is
    '<html><head><title>Video</title></head><body><div id="player"><script>play()</script>'
    '</div></body></html>',
    "<html><head><title>Nothing here</title></head><body></body></html>",
])
def test_a_page_without_an_article_says_so(page: str) -> None:
    with pytest.raises(ArticleParseError, match="no article text found"):
        parse_article(page)


def test_broken_markup_keeps_every_paragraph() -> None:
    broken = (f"<html><head><title>Front line</title><body><div class=story><h1>Villages retaken"
              f"<p>{STORY}<p>Second: {STORY} <<<>>> <b>unclosed <i>tags</p></span>"
              f"<p>Third: {STORY}</table></td><!-- never closed")
    article = parse_article(broken)
    assert article.body.startswith(STORY)
    assert "Second: " + STORY in article.body and "Third: " + STORY in article.body


@pytest.mark.parametrize("article", SAMPLE_ARTICLES[:5], ids=lambda a: str(a.id))
def test_the_sample_sites_malformed_pages_read_whole(article: SiteArticle) -> None:
    """Unclosed divs and a junk table around the whole page: every sentence is kept (the
    paragraph breaks are not: the article ends up inside a table cell) and the sidebar is not."""
    page = malformed_html(SAMPLE_SITE.article(article).text)
    parsed = parse_article(page, dateline="Alwaght")
    assert parsed.title == article.title
    body = " ".join(parsed.body.split())
    for paragraph in article.paragraphs:
        assert " ".join(paragraph.split()) in body
    assert "Most Viewed" not in body and " views" not in body


def test_a_wrong_declared_charset_is_overruled() -> None:
    text = PAGE.replace(f"<p>{STORY}</p>", f"<p>“{STORY}” — قال المتحدث العسكري.</p>", 1)
    cp1256 = text.encode("cp1256")  # still says <meta charset="utf-8">
    article = parse_article(cp1256)
    assert "\ufffd" not in article.body
    assert f"“{STORY}” — قال المتحدث العسكري." in article.body


def test_an_undeclared_legacy_charset_is_read() -> None:
    page = PAGE.replace('<meta charset="utf-8">', "")
    page = page.replace("</article>", "<p>© 2017 Front · Line</p></article>")
    article = parse_article(page.encode("latin-1"))
    assert "© 2017 Front · Line" in article.body


def test_utf16_with_a_byte_order_mark() -> None:
    article = parse_article(PAGE.encode("utf-16"))
    assert article.title == "Villages retaken" and article.body.startswith(STORY)


def test_an_xml_declaration_in_text_input() -> None:
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE
    assert parse_article(xhtml).body.startswith(STORY)
