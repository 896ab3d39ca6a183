"""Syndicated copies: articles that carry the same story as an earlier article.

`ArticleRow.body_hash` holds a fingerprint of the body that ignores a leading dateline
("Alwaght- ", "(Reuters) -"), case, punctuation and spacing, so the same story carried by two
sources hashes alike. A copy that was lightly edited (a new headline, a dropped paragraph, a
footer, a reworded sentence) is a near duplicate: published within `NEAR_DAYS` of an earlier
article, its body reports no figure that article does not (its own headline may word one
differently), and most of its wording (word 5-grams) is found there. The later article points
at the first with `duplicate_of_id` and keeps no figures of its own: the figure is stored and
alerted once, and a copy never counts as a second, independent source confirming it.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import ArticleRow, FigureRow, PageRow

_DATELINE = re.compile(r"^\s*\(?[A-Z][\w'&.]*(?: [\w'&.]+){0,3}\)?\s*[-–—:]\s+")
_NON_WORD = re.compile(r"[\W_]+")

NEAR_DAYS = 7  # a copy is published within a week of the story it copies
SHINGLE_WORDS = 5
MIN_SHINGLES = 20  # shorter bodies are matched exactly only
MIN_CONTAINMENT = 0.7  # share of the shorter body's 5-grams found in the other body
MAX_CANDIDATES = 50

FigureSignature = tuple[str, str, float]


def _words(body: str) -> list[str]:
    return _NON_WORD.sub(" ", _DATELINE.sub("", body, count=1)).lower().split()


def body_fingerprint(body: str) -> str:
    """A hash of the body's words, without a leading dateline."""
    return hashlib.sha256(" ".join(_words(body)).encode()).hexdigest()


def shingles(body: str) -> set[str]:
    """The body's word 5-grams (normalised as for the fingerprint)."""
    words = _words(body)
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def containment(a: set[str], b: set[str]) -> float:
    """How much of the smaller shingle set the other one contains (0..1)."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def _signature(figure: FigureRow) -> FigureSignature:
    return figure.actor, figure.metric, round(figure.value, 6)


def near_duplicate_of(session: Session, article: ArticleRow) -> int | None:
    """The earliest earlier article that `article` is a lightly edited copy of, if any."""
    headline = (article.title or "").strip()
    reported = {_signature(f) for f in article.figures if f.sentence.strip() != headline}
    if not reported or article.published is None:
        return None  # a copy without figures changes no figure; exact matching covers it
    own = shingles(article.body)
    if len(own) < MIN_SHINGLES:
        return None
    actor, metric, value = next(iter(reported))
    same_figure = select(FigureRow.article_id).where(
        FigureRow.actor == actor, FigureRow.metric == metric,
        FigureRow.value.between(value - 1e-6, value + 1e-6))
    candidates = session.scalars(
        select(ArticleRow)
        .where(ArticleRow.id < article.id, ArticleRow.duplicate_of_id.is_(None),
               ArticleRow.id.in_(same_figure),
               ArticleRow.published.between(article.published - timedelta(days=NEAR_DAYS),
                                         article.published + timedelta(days=NEAR_DAYS)))
        .order_by(ArticleRow.id).limit(MAX_CANDIDATES))
    for candidate in candidates:
        if reported <= {_signature(f) for f in candidate.figures} and \
                containment(own, shingles(candidate.body)) >= MIN_CONTAINMENT:
            return candidate.id
    return None


def mark_duplicate(session: Session, article: ArticleRow, previous: str | None) -> list[int]:
    """Fingerprint `article`, link it to an earlier article with the same body or of which it
    is a near duplicate (dropping its figures), and release its own former copies if its
    fingerprint changed from `previous`.

    Returns the page ids of released copies: they need parsing again.
    """
    fingerprint = body_fingerprint(article.body)
    changed = previous is not None and previous != fingerprint
    article.body_hash = fingerprint
    session.flush()
    released: list[int] = []
    if changed:
        copies = session.scalars(select(ArticleRow).where(ArticleRow.duplicate_of_id == article.id,
                                                       ArticleRow.body_hash != fingerprint)).all()
        for copy in copies:
            copy.duplicate_of_id = None
            released.append(copy.page_id)
        if released:
            session.execute(update(PageRow).where(PageRow.id.in_(released)).values(parsed_hash=None))
    original = session.scalar(
        select(ArticleRow.id).where(ArticleRow.body_hash == fingerprint, ArticleRow.id != article.id,
                                 ArticleRow.duplicate_of_id.is_(None), ArticleRow.body != "")
        .order_by(ArticleRow.id).limit(1))
    if original is None or original > (article.id or 0):
        original = near_duplicate_of(session, article)
    if original is not None and original < (article.id or 0):
        article.duplicate_of_id = original
        article.figures = []
    else:
        article.duplicate_of_id = None
    return released
