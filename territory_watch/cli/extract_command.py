"""`territory-watch extract`: HTML or plain text in, figures out as JSON lines."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import date
from typing import IO, Any

from parsers.article import ArticleParseError, parse_article
from parsers.config_file import ConfigError
from parsers.figures import extract_figures
from territory_watch.config.datetimes import parse_when

_HTML = re.compile(r"<\s*(html|body|p|div|article|head|!doctype)\b", re.I)


def looks_like_html(text: str) -> bool:
    """Whether the input is markup rather than plain text."""
    return bool(_HTML.search(text[:5000]))


def figures_of(text: str, *, html: bool, published: date | None, url: str | None,
               id: str | None) -> list[dict[str, Any]]:
    """Figures of one document as SPEC JSON objects (none, said on stderr, if it holds no
    article)."""
    title = None
    if html:
        try:
            article = parse_article(text, url)
        except ArticleParseError as exc:
            print(f"{id or url or 'input'}: no figures: {exc}", file=sys.stderr)
            return []
        text, title = article.body, article.title
        if published is None and article.published is not None:
            published = article.published.date()
    figures = extract_figures(text, title=title, published=published, id=id, url=url)
    return [f.to_json() for f in figures]


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        with open(name, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read: {exc.strerror}") from None


def jsonl_records(stream: IO[str], name: str) -> Iterator[dict[str, Any]]:
    """Batch input records, with a clear error naming the bad line."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{name}:{number}: not JSON: {exc.msg}") from None
        if not isinstance(record, dict) or not ("text" in record or "html" in record):
            raise ConfigError(f'{name}:{number}: need an object with "text" or "html"')
        yield record


def run_extract(files: list[str], *, jsonl: str | None, published: str | None,
                url: str | None, out: IO[str]) -> int:
    """Write figures of every input to `out`; returns the number of figures written."""
    count = 0
    default_published = parse_when(published).date() if published else None
    if jsonl is not None:
        try:
            opened = nullcontext(sys.stdin) if jsonl == "-" else open(jsonl, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{jsonl}: cannot read: {exc.strerror}") from None
        with opened as stream:
            for record in jsonl_records(stream, jsonl):
                when = record.get("published")
                day = parse_when(str(when)).date() if when else default_published
                body = record.get("html") or record.get("text") or ""
                for figure in figures_of(body, html="html" in record, published=day,
                                         url=record.get("url") or url,
                                         id=str(record["id"]) if "id" in record else None):
                    out.write(json.dumps(figure, ensure_ascii=False) + "\n")
                    count += 1
        return count
    for name in files:
        text = _read(name)
        for figure in figures_of(text, html=looks_like_html(text), published=default_published,
                                 url=url, id=None if name == "-" else name):
            out.write(json.dumps(figure, ensure_ascii=False) + "\n")
            count += 1
    return count

