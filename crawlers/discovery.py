"""Finding article links in feeds (RSS/Atom), sitemaps (index, urlset, news) and listing pages.

XML is parsed with entity expansion, DTD loading and network access disabled, so hostile
feeds (billion laughs, external entities) are inert; malformed XML raises DiscoveryError.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urldefrag, urljoin

from lxml import etree

from parsers.article import parse_date, parse_document


class DiscoveryError(ValueError):
    """A feed, sitemap or listing could not be read."""


@dataclass(frozen=True)
class Link:
    """A discovered URL with what the index said about it."""

    url: str
    published: datetime | None = None
    lastmod: datetime | None = None
    is_sitemap: bool = False


def _safe_xml(body: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body.lstrip(), parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"malformed XML: {exc}") from None
    if root is None:
        raise DiscoveryError("empty XML document")
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def parse_feed(body: bytes, base_url: str) -> list[Link]:
    """Article links of an RSS 2.0 / RSS 1.0 / Atom feed with their publication and update times."""
    root = _safe_xml(body)
    links: list[Link] = []
    for entry in root.iter():
        name = _local(entry.tag)
        if name == "item":
            url = _child_text(entry, "link") or _child_text(entry, "guid")
            date = _child_text(entry, "pubDate", "date", "published", "issued")
            updated = _child_text(entry, "updated", "modified")
        elif name == "entry":
            url = None
            for link in entry.iter():
                if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate":
                    url = link.get("href")
                    break
            date = _child_text(entry, "published", "issued")
            updated = _child_text(entry, "updated", "modified")
        else:
            continue
        if url:
            published = parse_date(date or updated or "")
            lastmod = parse_date(updated or "") or published
            links.append(Link(urljoin(base_url, url.strip()), published=published,
                              lastmod=lastmod))
    if not links and _local(root.tag) not in ("rss", "feed", "RDF"):
        raise DiscoveryError(f"not a feed (root element <{_local(root.tag)}>)")
    return links


def parse_sitemap(body: bytes, base_url: str) -> list[Link]:
    """Entries of a sitemap index (child sitemaps) or urlset (pages, with lastmod / news date)."""
    root = _safe_xml(body)
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise DiscoveryError(f"not a sitemap (root element <{kind}>)")
    links: list[Link] = []
    for entry in root:
        if _local(entry.tag) not in ("sitemap", "url"):
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        lastmod = parse_date(_child_text(entry, "lastmod") or "")
        published = parse_date(_child_text(entry, "publication_date") or "")
        links.append(Link(urljoin(base_url, loc), published=published, lastmod=lastmod,
                          is_sitemap=kind == "sitemapindex"))
    return links


def parse_listing(body: bytes | str, base_url: str) -> tuple[list[Link], str | None]:
    """All links of an HTML listing page, each with the date shown next to it when there is
    one (a `<time datetime>` in the same list item), and the next-page link (rel=next or a
    "next" anchor)."""
    doc = parse_document(body)
    links: dict[str, Link] = {}
    next_url: str | None = None
    for anchor in doc.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urldefrag(urljoin(base_url, href)).url
        rel = (anchor.get("rel") or "").lower().split()
        label = anchor.text_content().strip().lower()
        if next_url is None and ("next" in rel or label in ("next", "next »", "older", "»", "›")):
            next_url = url
        if url not in links or links[url].published is None:
            links[url] = Link(url, published=_item_date(anchor, url, base_url))
    for link in doc.iter("link"):
        if next_url is None and (link.get("rel") or "").lower() == "next" and link.get("href"):
            next_url = urljoin(base_url, link.get("href"))
    return list(links.values()), next_url


def _item_date(anchor: etree._Element, url: str, base_url: str) -> datetime | None:
    """The date of the list item holding `anchor`: the only `<time>` of the closest ancestor
    (up to three levels) whose links all lead to `url`."""
    element = anchor
    for _ in range(3):
        element = element.getparent()
        if element is None:
            return None
        hrefs = {urldefrag(urljoin(base_url, (a.get("href") or "").strip())).url
                 for a in element.iter("a") if a.get("href")}
        if hrefs - {url}:
            return None
        times = [t for t in element.iter("time") if t.get("datetime")]
        if len(times) == 1:
            return parse_date(times[0].get("datetime"))
        if len(times) > 1:
            return None
    return None
