"""Which encoding a page's bytes are in, when what was declared for them may be wrong.

The byte-order mark, the declared charset (HTTP header), the page's own `<meta charset>` (read
with bs4's EncodingDetector) and UTF-8 are tried in that order; the first that decodes the
bytes strictly wins. When none does, charset-normalizer judges the bytes, among the encodings
browsers support. It is given only the words holding non-ASCII bytes: ASCII reads the same in
every candidate, and on a mostly English page the few foreign words would otherwise drown in
it. Its verdict is taken only when it reads those words clearly better (less chaos) than
windows-1252, the web's default for undeclared Western pages: on a few words of a Latin-script
language its candidates tie, and on punctuation alone (curly quotes, the copyright sign) its
guesses are arbitrary, where windows-1252 reads them as the other Windows code pages do.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
from bs4.dammit import EncodingDetector

FALLBACK = "cp1252"
CHAOS_TOLERANCE = 0.1  # charset-normalizer's chaos ratio: below this margin, a tie
# the WHATWG Encoding Standard's legacy encodings, by Python codec name
WEB_ENCODINGS = (
    "utf_8", "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6",
    "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "koi8_r", "koi8_u", "mac_roman", "cp874", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "mac_cyrillic", "gb18030",
    "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)
_NON_ASCII_WORD = re.compile(rb"[^\s<>\"'=]*[\x80-\xff][^\s<>\"'=]*")


def canonical(name: str | None) -> str | None:
    """Python's name for an encoding label, or None when Python has no such codec."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decodes(body: bytes, encoding: str) -> bool:
    """Whether `body` is valid in `encoding`."""
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def declared_encodings(body: bytes, declared: str | None = None) -> list[str]:
    """What the bytes say about themselves, in trust order: BOM, `declared`, `<meta>`, UTF-8."""
    _, bom = EncodingDetector.strip_byte_order_mark(body)
    meta = EncodingDetector.find_declared_encoding(body, is_html=True)
    names = (canonical(n) for n in (bom, declared, meta, "utf-8"))
    return list(dict.fromkeys(n for n in names if n))


def _has_foreign_letters(evidence: bytes) -> bool:
    """Whether the non-ASCII bytes hold letters (in windows-1252 terms), not only punctuation."""
    return any(c.isalpha() for c in evidence.decode(FALLBACK, errors="ignore") if c > "\x7f")


def guess_encoding(body: bytes) -> str:
    """charset-normalizer's verdict on the non-ASCII words of `body`, or windows-1252."""
    evidence = b" ".join(_NON_ASCII_WORD.findall(body))
    if not evidence:
        return "utf-8"
    if not _has_foreign_letters(evidence):
        return FALLBACK
    best = charset_normalizer.from_bytes(evidence, cp_isolation=list(WEB_ENCODINGS)).best()
    if best is None:
        return FALLBACK
    western = charset_normalizer.from_bytes(evidence, cp_isolation=[FALLBACK]).best()
    if western is not None and western.chaos <= best.chaos + CHAOS_TOLERANCE:
        return FALLBACK
    return canonical(best.encoding) or FALLBACK


def _decoded(body: bytes, declared: str | None) -> tuple[str, str | None]:
    """The first declared encoding `body` is valid in, with the text; ("", None) if none."""
    for encoding in declared_encodings(body, declared):
        try:
            return encoding, body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return "", None


def detect_encoding(body: bytes, declared: str | None = None) -> str:
    """The encoding to read `body` with: the first declared one it is valid in, else a guess."""
    encoding, text = _decoded(body, declared)
    return encoding if text is not None else guess_encoding(body)


def decode_html(body: bytes, declared: str | None = None) -> str:
    """`body` as text, in the encoding `detect_encoding` chooses (undecodable bytes replaced)."""
    _, text = _decoded(body, declared)
    if text is None:
        text = body.decode(guess_encoding(body), errors="replace")
    return text[1:] if text.startswith("\ufeff") else text
