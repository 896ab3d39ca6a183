"""The bundled sample news site: content, discovery endpoints, honest HTTP and every fault mode."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.etree
import lxml.html
import pytest

from demo.site import Fault, FaultKind, FaultPlan, load_articles, serve_sample_site
from demo.site.content import DATA_DIR, parse_seed_text
from demo.site.hostile_content import GZIP_BOMB_INFLATED_SIZE

pytestmark = pytest.mark.timeout(60)

SEED_ID = 11402
SIDEBAR_FIGURE_HEADLINE = "ISIS Lost 2,000 Square Kilometers in Western Iraq"


class Reply:
    def __init__(self, response: http.client.HTTPResponse, body: bytes) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(site, target: str, headers: dict[str, str] | None = None, *, method: str = "GET",
          timeout: float = 5.0) -> Reply:
    """One request on a fresh connection (no proxies, no automatic redirects or decompression)."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=timeout)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return Reply(response, response.read())
    finally:
        connection.close()


def xml(body: bytes) -> lxml.etree._Element:
    return lxml.etree.fromstring(body, lxml.etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.fixture(scope="module")
def site():
    with serve_sample_site() as running:
        yield running


@pytest.fixture
def fresh_site():
    with serve_sample_site() as running:
        yield running


# -- content ------------------------------------------------------------------------------------


def test_bundled_articles_are_alwaght_like_and_include_the_seed():
    articles = load_articles()
    assert len(articles) == 15
    assert len({a.id for a in articles}) == 15
    assert [a.published for a in articles] == sorted((a.published for a in articles), reverse=True)
    for article in articles:
        assert article.published.tzinfo is not None
        assert "2017-08-01" <= article.published.date().isoformat() <= "2017-11-30"
        assert article.paragraphs[0].startswith("Alwaght- ")
        assert re.fullmatch(r"/en/News/\d+/[A-Za-z0-9-]+", article.path)
    seed = next(a for a in articles if a.id == SEED_ID)
    seed_date, seed_paragraphs = parse_seed_text((DATA_DIR / "seeds/000_08374aef6786541f.txt").read_text("utf-8"))
    assert seed.paragraphs == seed_paragraphs
    assert seed_date.isoformat() == "2017-10-13" == seed.published.date().isoformat()
    assert "ISIS currently controls 14,800 square kilometers" in seed.text
    # Kinds of content the extractor is tested on.
    figures = {a.id: a.reported_figures for a in articles}
    assert sum(1 for f in figures.values() if not f) >= 3
    assert any(f and all(x["modality"] == "conditional" for x in f) for f in figures.values())
    assert not re.search(r"\d", next(a for a in articles if a.id == 11488).text)


def test_article_page_has_sidebar_before_the_article_and_the_expected_markup(site):
    article = site.article(11079)
    reply = fetch(site, article.path)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    tree = lxml.html.fromstring(reply.body)
    assert tree.xpath("string(//h1)") == article.title
    assert tree.xpath("string(//meta[@property='og:title']/@content)") == article.title
    assert tree.xpath("string(//meta[@property='article:published_time']/@content)") == "2017-08-31T16:20:00+03:30"
    assert tree.xpath("string(//div[@class='news-date']/time/@datetime)") == "2017-08-31T16:20:00+03:30"
    assert [p.text_content() for p in tree.cssselect("div.news-body p")] == list(article.paragraphs)
    assert article.url == site.base_url + article.path
    assert tree.xpath("string(//link[@rel='canonical']/@href)") == article.url
    # Navigation and sidebar come first in the document; the sidebar shows a headline with a figure.
    order = [e.tag + "." + e.get("class", "") for e in tree.iter("header", "aside", "article", "footer")]
    assert order == ["header.site-header", "aside.sidebar", "article.news-detail", "footer.site-footer"]
    sidebar = tree.cssselect("aside.sidebar")[0].text_content()
    assert "Editor's Choice" in sidebar and "Most Viewed" in sidebar
    assert SIDEBAR_FIGURE_HEADLINE in sidebar
    assert SIDEBAR_FIGURE_HEADLINE not in article.text
    assert {a.text for a in tree.cssselect("div.news-tags a")} == set(article.tags)


def test_unknown_paths_are_404(site):
    assert fetch(site, "/en/News/1/Nope").status == 404
    assert fetch(site, "/en/News?page=3").status == 404


# -- discovery ----------------------------------------------------------------------------------


def test_robots_txt_forbids_private_pages_and_names_the_sitemap(site):
    reply = fetch(site, "/robots.txt")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(reply.text.splitlines())
    draft = site.private_articles[0]
    assert not robots.can_fetch("territory-watch", draft.url)
    assert all(robots.can_fetch("territory-watch", a.url) for a in site.articles)
    assert robots.site_maps() == [site.url("/sitemap.xml"), site.url("/news-sitemap.xml")]
    # The server itself does not enforce robots.txt: obeying it is the crawler's job.
    assert fetch(site, draft.path).status == 200


def test_rss_lists_the_newest_articles_with_pubdate(site):
    reply = fetch(site, "/en/rss")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/rss+xml")
    items = xml(reply.body).findall("channel/item")
    assert [i.findtext("link") for i in items] == [a.url for a in site.articles[:10]]
    for item, article in zip(items, site.articles[:10], strict=True):
        assert parsedate_to_datetime(item.findtext("pubDate")) == article.published
        assert item.findtext("title") == article.title


def test_sitemap_index_leads_to_monthly_sitemaps_with_lastmod(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = xml(fetch(site, "/sitemap.xml").body)
    monthly = index.xpath("//s:sitemap/s:loc/text()", namespaces=namespace)
    assert monthly == [site.url(f"/sitemap-2017-{m}.xml") for m in ("11", "10", "09", "08")]
    assert len(index.xpath("//s:sitemap/s:lastmod", namespaces=namespace)) == 4
    seen: dict[str, list[str]] = {}
    for url in monthly:
        urlset = xml(fetch(site, urlsplit(url).path).body)
        seen[url[-11:-4]] = urlset.xpath("//s:url/s:loc/text()", namespaces=namespace)
        assert len(urlset.xpath("//s:url/s:lastmod", namespaces=namespace)) == len(seen[url[-11:-4]])
    everything = [u for urls in seen.values() for u in urls]
    assert sorted(everything) == sorted(a.url for a in [*site.articles, *site.private_articles])
    # Months are UTC months: 2017-11-01T02:10+03:30 is still October in UTC.
    assert site.article(11519).url in seen["2017-10"]
    assert site.article(11296).url in seen["2017-09"]


def test_news_sitemap_has_publication_dates(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
                 "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    urlset = xml(fetch(site, "/news-sitemap.xml").body)
    urls = urlset.xpath("//s:url", namespaces=namespace)
    assert len(urls) == len(site.articles)
    first = urls[0]
    assert first.xpath("string(s:loc)", namespaces=namespace) == site.articles[0].url
    assert first.xpath("string(n:news/n:publication_date)", namespaces=namespace) == "2017-11-27T09:25:00+03:30"


def test_listing_pages_paginate_newest_first_with_rel_next(site):
    first = lxml.html.fromstring(fetch(site, "/en/News?page=1").body)
    links = [urljoin(site.base_url, h) for h in first.xpath("//li[@class='news-item']/a/@href")]
    assert links == [a.url for a in site.articles[:10]]
    assert first.xpath("//a[@rel='next']/@href") == ["/en/News?page=2"]
    assert first.xpath("//link[@rel='next']/@href") == ["/en/News?page=2"]
    second = lxml.html.fromstring(fetch(site, "/en/News?page=2").body)
    links = [urljoin(site.base_url, h) for h in second.xpath("//li[@class='news-item']/a/@href")]
    assert links == [a.url for a in site.articles[10:]]
    assert second.xpath("//a[@rel='next']") == []
    assert fetch(site, "/en/News").body == fetch(site, "/en/News?page=1").body


# -- honest HTTP --------------------------------------------------------------------------------


def test_conditional_requests_get_304(fresh_site):
    path = fresh_site.articles[3].path
    first = fetch(fresh_site, path)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and parsedate_to_datetime(last_modified) == fresh_site.articles[3].published

    again = fetch(fresh_site, path, {"If-None-Match": etag})
    assert again.status == 304 and again.body == b"" and again.headers["ETag"] == etag
    assert fetch(fresh_site, path, {"If-Modified-Since": last_modified}).status == 304
    earlier = format_datetime(parsedate_to_datetime(last_modified).replace(year=2016), usegmt=True)
    assert fetch(fresh_site, path, {"If-Modified-Since": earlier}).status == 200
    assert fetch(fresh_site, path, {"If-None-Match": '"other"', "If-Modified-Since": last_modified}).status == 200

    sent = [r.headers.get("if-none-match") for r in fresh_site.requests if r.path == path]
    assert sent == [None, etag, None, None, '"other"']


def test_gzip_when_asked_and_the_etag_follows_the_variant(site):
    path = site.articles[0].path
    plain = fetch(site, path)
    zipped = fetch(site, path, {"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.body) == plain.body
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert fetch(site, path, {"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}).status == 304
    assert "Content-Encoding" not in fetch(site, path, {"Accept-Encoding": "gzip;q=0"}).headers


def test_head_has_headers_without_body(site):
    reply = fetch(site, site.articles[0].path, method="HEAD")
    assert reply.status == 200 and reply.body == b"" and int(reply.headers["Content-Length"]) > 1000


def test_bound_to_loopback_and_closed_after_exit():
    with serve_sample_site() as running:
        assert running.base_url == f"http://127.0.0.1:{running.port}"
        port = running.port
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_custom_articles():
    records = [{"id": 7, "slug": "Only-One", "title": "Only One", "published": "2017-10-02T08:00:00Z",
                "body": "Alwaght- ISIS lost 12 villages.\n\nSecond paragraph."}]
    with serve_sample_site(articles=records) as running:
        assert [a.url for a in running.articles] == [running.url("/en/News/7/Only-One")]
        assert running.private_articles == []
        tree = lxml.html.fromstring(fetch(running, "/en/News/7/Only-One").body)
        assert [p.text for p in tree.cssselect("div.news-body p")] == ["Alwaght- ISIS lost 12 villages.",
                                                                        "Second paragraph."]


# -- faults -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "retry_after"), [(500, None), (503, "1"), (429, "7")])
def test_status_faults(fresh_site, status, retry_after):
    fault = Fault.http_status(status, retry_after=int(retry_after) if status == 429 else None)
    fresh_site.set_fault(r"^/en/rss$", fault)
    reply = fetch(fresh_site, "/en/rss")
    assert reply.status == status
    assert reply.headers.get("Retry-After") == retry_after
    assert fetch(fresh_site, "/robots.txt").status == 200


def test_fail_the_first_n_times_then_succeed():
    with serve_sample_site(faults=FaultPlan({r"^/en/rss$": "status:503*2"})) as running:
        assert [fetch(running, "/en/rss").status for _ in range(4)] == [503, 503, 200, 200]
        assert running.faults.hits(r"^/en/rss$") == 4


def test_faults_by_literal_path_with_query(fresh_site):
    fresh_site.set_fault("/en/News?page=2", Fault.http_status(500))
    assert fetch(fresh_site, "/en/News?page=2").status == 500
    assert fetch(fresh_site, "/en/News?page=1").status == 200


def test_runtime_fault_changes(fresh_site):
    path = fresh_site.articles[0].path
    fresh_site.set_fault(r"/en/News/\d+/", Fault.http_status(500))
    assert fetch(fresh_site, path).status == 500
    fresh_site.set_fault(r"/en/News/\d+/", None)
    assert fetch(fresh_site, path).status == 200


def test_slow_fault_times_out_the_client_and_does_not_delay_shutdown():
    before = set(threading.enumerate())
    with serve_sample_site(faults={r"^/en/rss$": Fault.slow(3600)}) as running:
        with pytest.raises(TimeoutError):
            fetch(running, "/en/rss", timeout=0.5)
        assert fetch(running, "/robots.txt").status == 200
    # the shutdown wakes the handler sleeping out its hour: every thread of the site ends
    deadline = time.monotonic() + 60
    while (left := [t for t in threading.enumerate() if t not in before]) and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], f"threads of the stopped site still running: {left}"


def test_slow_fault_answers_after_the_delay(fresh_site):
    fresh_site.set_fault("^/robots.txt$", Fault.slow(0.3))
    started = time.monotonic()
    assert fetch(fresh_site, "/robots.txt").status == 200
    assert time.monotonic() - started >= 0.3


def test_connection_reset(fresh_site):
    fresh_site.set_fault(r"/en/News/\d+/", Fault.reset())
    with pytest.raises(ConnectionError):  # ConnectionResetError or RemoteDisconnected
        fetch(fresh_site, fresh_site.articles[0].path)


def test_truncated_body(fresh_site):
    fresh_site.set_fault(r"/en/News/\d+/", "truncated")
    connection = http.client.HTTPConnection("127.0.0.1", fresh_site.port, timeout=5)
    connection.request("GET", fresh_site.articles[0].path)
    response = connection.getresponse()
    announced = int(response.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as caught:
        response.read()
    assert 0 < len(caught.value.partial) < announced
    connection.close()


def test_oversized_page(fresh_site):
    fresh_site.set_fault(r"/en/News/\d+/", Fault.oversized())
    connection = http.client.HTTPConnection("127.0.0.1", fresh_site.port, timeout=10)
    connection.request("GET", fresh_site.articles[0].path)
    response = connection.getresponse()
    assert int(response.headers["Content-Length"]) == 20 * 1024 * 1024
    first = response.read(4096)
    assert first.startswith(b"<!DOCTYPE html>")
    total = len(first)
    while chunk := response.read(1 << 20):
        total += len(chunk)
    assert total == 20 * 1024 * 1024
    connection.close()


def test_oversized_page_client_hanging_up_early_is_fine(fresh_site):
    fresh_site.set_fault(r"/en/News/\d+/", Fault.oversized(200 * 1024 * 1024))
    connection = http.client.HTTPConnection("127.0.0.1", fresh_site.port, timeout=5)
    connection.request("GET", fresh_site.articles[0].path)
    connection.getresponse().read(1000)
    connection.close()
    assert fetch(fresh_site, "/robots.txt").status == 200


def test_gzip_bomb(fresh_site):
    fresh_site.set_fault(r"/en/News/\d+/", Fault.gzip_bomb())
    reply = fetch(fresh_site, fresh_site.articles[0].path)  # even without Accept-Encoding
    assert reply.headers["Content-Encoding"] == "gzip"
    assert len(reply.body) < 1024 * 1024
    inflater, inflated, pending = zlib.decompressobj(47), 0, reply.body
    while pending:
        inflated += len(inflater.decompress(pending, 1 << 20))
        pending = inflater.unconsumed_tail
    assert inflated == GZIP_BOMB_INFLATED_SIZE > 100 * 1000 * 1000


def test_wrong_charset_claims_utf8_for_cp1256_bytes(fresh_site):
    seed = fresh_site.article(SEED_ID)
    fresh_site.set_fault(r"/en/News/\d+/", Fault.wrong_charset("cp1256"))
    reply = fetch(fresh_site, seed.path)
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    decoded = reply.body.decode("cp1256")
    assert "العربية" in decoded and "“The city is in full blockade" in decoded


def test_wrong_charset_without_any_declaration(fresh_site):
    fresh_site.set_fault(r"/en/News/\d+/", "wrong_charset:latin-1:none")
    reply = fetch(fresh_site, fresh_site.articles[0].path)
    assert reply.headers["Content-Type"] == "text/html"
    assert b"charset" not in reply.body
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    assert "© 2017 Alwaght" in reply.body.decode("latin-1")


def test_malformed_html_still_carries_the_text(fresh_site):
    article = fresh_site.articles[0]
    fresh_site.set_fault(r"/en/News/\d+/", Fault.malformed_html())
    reply = fetch(fresh_site, article.path)
    assert reply.status == 200 and b"</p>" not in reply.body and b"<<<>>>" in reply.body
    with pytest.raises(lxml.etree.XMLSyntaxError):
        lxml.etree.fromstring(reply.body)
    text = lxml.html.fromstring(reply.body).text_content()
    assert all(p in text for p in article.paragraphs)


def test_malformed_xml_feed(fresh_site):
    fresh_site.set_fault(r"^/en/rss$|sitemap", Fault.malformed_xml())
    for path in ("/en/rss", "/sitemap.xml", "/sitemap-2017-10.xml"):
        reply = fetch(fresh_site, path)
        assert reply.status == 200
        with pytest.raises(lxml.etree.XMLSyntaxError):
            xml(reply.body)


@pytest.mark.parametrize("path", ["/en/rss", "/sitemap.xml", "/sitemap-2017-10.xml", "/news-sitemap.xml"])
def test_xml_bomb(fresh_site, path):
    fresh_site.set_fault(r"^/en/rss$|sitemap", Fault.xml_bomb())
    body = fetch(fresh_site, path).body
    assert len(body) < 100_000
    assert b'<!ENTITY lol9 "&lol8;&lol8;' in body and b"&lol9;" in body
    assert re.search(rb"<!DOCTYPE (rss|urlset|sitemapindex) \[", body)
    try:  # a guarded parser either refuses the document or leaves the entities unexpanded
        root = xml(body)
    except lxml.etree.XMLSyntaxError as error:
        assert "amplification" in str(error) or "entity" in str(error).lower()
    else:
        assert len(lxml.etree.tostring(root)) < 1_000_000


def test_xml_external_entity(fresh_site):
    fresh_site.set_fault(r"^/en/rss$|sitemap", Fault.xml_external_entity())
    body = fetch(fresh_site, "/sitemap-2017-10.xml").body
    assert b'SYSTEM "file:///etc/passwd"' in body
    canary = fresh_site.url("/en/private/xxe-canary")
    assert f'SYSTEM "{canary}"'.encode() in body
    root = xml(body)
    assert b"root:" not in lxml.etree.tostring(root)
    assert "/en/private/xxe-canary" not in fresh_site.requests.paths()  # the safe parser fetched nothing


def test_redirect_loop(fresh_site):
    path = fresh_site.articles[0].path
    fresh_site.set_fault(r"/en/News/\d+/", Fault.redirect_loop())
    target, seen = path, []
    for _ in range(6):
        reply = fetch(fresh_site, target)
        assert reply.status == 302
        target = reply.headers["Location"]
        seen.append(target)
    assert seen[1] == path and seen[3] == path and seen[0] == seen[2] and seen[0].startswith("/_loop?")


@pytest.mark.parametrize(("fault", "expected"), [
    (Fault.offsite_links(), "http://evil.example/en/News/99999/Sponsored-Story"),
    (Fault.private_links(), "http://10.0.0.1/en/News/99998/Internal-Report"),
])
def test_links_leaving_the_site(fresh_site, fault, expected):
    fresh_site.set_fault(r"^/en/(News|rss)|sitemap", fault)
    listing = lxml.html.fromstring(fetch(fresh_site, "/en/News").body)
    assert expected in listing.xpath("//li[@class='news-item']/a/@href")
    assert expected in [i.findtext("link") for i in xml(fetch(fresh_site, "/en/rss").body).iter("item")]
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for path in ("/sitemap-2017-11.xml", "/news-sitemap.xml"):
        assert expected in xml(fetch(fresh_site, path).body).xpath("//s:loc/text()", namespaces=namespace)
    assert "evil.example" not in fetch(fresh_site, fresh_site.articles[0].path).text


def test_redesign_keeps_urls_but_breaks_selectors(fresh_site):
    article = fresh_site.articles[0]
    fresh_site.set_fault(r"^/en/News/\d+/", Fault.redesign())
    reply = fetch(fresh_site, article.path)
    assert reply.status == 200
    tree = lxml.html.fromstring(reply.body)
    assert tree.xpath("//h1") == [] and tree.cssselect("div.news-body p") == []
    assert tree.cssselect("div.news-date time") == [] and tree.xpath("//time") == []
    assert [d.text for d in tree.cssselect("section.story__content div.txt")] == list(article.paragraphs)
    assert tree.xpath("string(//meta[@property='og:title']/@content)") == article.title
    fresh_site.set_fault(r"^/en/News/\d+/", Fault.redesign(keep_meta=False))
    assert b"og:title" not in fetch(fresh_site, article.path).body
    assert fetch(fresh_site, "/en/News").status == 200  # listings unaffected


def test_undated_article_pages_name_no_date(fresh_site):
    article = fresh_site.articles[0]
    fresh_site.set_fault(r"^/en/News/\d+/", "undated")
    page = fetch(fresh_site, article.path).text
    assert "article:published_time" not in page and "<time" not in page
    assert article.published.isoformat() not in page and article.title in page
    assert article.published.isoformat()[:10] in fetch(fresh_site, "/news-sitemap.xml").text


def test_no_etag_leaves_last_modified_the_only_validator(fresh_site):
    path = fresh_site.articles[3].path
    fresh_site.set_fault(path, "no_etag")
    first = fetch(fresh_site, path)
    assert "ETag" not in first.headers and first.headers["Last-Modified"]
    assert fetch(fresh_site, path, {"If-Modified-Since": first.headers["Last-Modified"]}).status == 304
    earlier = format_datetime(parsedate_to_datetime(first.headers["Last-Modified"]).replace(year=2016),
                              usegmt=True)
    assert fetch(fresh_site, path, {"If-Modified-Since": earlier}).status == 200


def test_fault_specs_parse():
    assert Fault.parse("status:429:5*2") == Fault.http_status(429, retry_after=5, times=2)
    assert Fault.parse("slow:1.5").delay == 1.5
    assert Fault.parse("wrong_charset:latin-1:none").declared_charset is None
    assert Fault.parse("private_links").links
    assert {k.value for k in FaultKind} >= {"status", "reset", "gzip_bomb", "xml_bomb", "redesign"}
    with pytest.raises(ValueError):
        Fault.parse("no-such-fault")
    with pytest.raises(ValueError):
        Fault.parse("reset:5")


def test_request_log_records_method_path_headers_and_time(fresh_site):
    before = time.monotonic()
    fetch(fresh_site, "/en/rss?x=1", {"User-Agent": "probe/1"})
    method, path, headers, at = fresh_site.requests[-1]
    assert (method, path, headers["user-agent"]) == ("GET", "/en/rss?x=1", "probe/1")
    assert before <= at <= time.monotonic()
    assert fresh_site.requests.count("/en/rss", ignore_query=True) == 1


def test_command_line_serves_until_interrupted():
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "demo.site", "--port", "0",
                                "--fault", "^/en/rss$=status:503"],
                               stdout=subprocess.PIPE, text=True, env=env, cwd=root)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        running = type("Running", (), {"port": int(match.group(1))})
        assert fetch(running, "/robots.txt").status == 200
        assert fetch(running, "/en/rss").status == 503
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        process.stdout.close()
