"""Syndicated copies: articles whose normalised body is the same story as an earlier article.

`Article.body_hash` holds a fingerprint of the body that ignores a leading dateline
("Alwaght- ", "(Reuters) -"), case, punctuation and spacing, so the same story carried by two
sources hashes alike. The later article points at the first with `duplicate_of_id` and keeps
no figures of its own: the claim is stored, and alerted, once.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Article, Page

_DATELINE = re.compile(r"^\s*\(?[A-Z][\w'&.]*(?: [\w'&.]+){0,3}\)?\s*[-–—:]\s+")
_NON_WORD = re.compile(r"[\W_]+")


def body_fingerprint(body: str) -> str:
    """A hash of the body's words, without a leading dateline."""
    words = _NON_WORD.sub(" ", _DATELINE.sub("", body, count=1)).lower().split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def mark_duplicate(session: Session, article: Article, previous: str | None) -> list[int]:
    """Fingerprint `article`, link it to an earlier article with the same body (dropping its
    figures), and release its own former copies if its fingerprint changed from `previous`.

    Returns the page ids of released copies: they need parsing again.
    """
    fingerprint = body_fingerprint(article.body)
    changed = previous is not None and previous != fingerprint
    article.body_hash = fingerprint
    session.flush()
    released: list[int] = []
    if changed:
        copies = session.scalars(select(Article).where(Article.duplicate_of_id == article.id,
                                                       Article.body_hash != fingerprint)).all()
        for copy in copies:
            copy.duplicate_of_id = None
            released.append(copy.page_id)
        if released:
            session.execute(update(Page).where(Page.id.in_(released)).values(parsed_hash=None))
    original = session.scalar(
        select(Article.id).where(Article.body_hash == fingerprint, Article.id != article.id,
                                 Article.duplicate_of_id.is_(None), Article.body != "")
        .order_by(Article.id).limit(1))
    if original is not None and original < (article.id or 0):
        article.duplicate_of_id = original
        article.figures = []
    else:
        article.duplicate_of_id = None
    return released
