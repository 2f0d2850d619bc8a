"""Names as Ukrainian users sort and search them. Pure: no Flask, no database.

The key is computed here and stored beside the name, so that ORDER BY on the stored bytes
gives the Ukrainian alphabet on SQLite and on PostgreSQL alike, whatever collation the
database was created with (codepoint order would put Ґ after Я and Є, І, Ї before А).
"""
import re
import unicodedata

# The Ukrainian alphabet in its order, with the other Cyrillic letters where Unicode's
# collation (and ICU's for uk) puts them: ё beside е, ъ ы э between щ and ю.
CYRILLIC = "абвгґдђѓеёєжзѕиіїйјклљмнњопрстћќуўфхцчџшщъыьэюя"
_RANK = {letter: index for index, letter in enumerate(dict.fromkeys(CYRILLIC))}
APOSTROPHES = "'\u2019\u02bc\u02b9\u2032`\u00b4"  # ' ’ ʼ ʹ ′ ` ´: typed for one another
_TO_APOSTROPHE = str.maketrans({mark: "'" for mark in APOSTROPHES})

# Groups in sort order: spaces and punctuation, digits, Cyrillic (first in Ukrainian), Latin,
# anything else. Each character becomes 4 bytes: its group, then its place in the group.
_PUNCTUATION, _DIGIT, _CYRILLIC, _LATIN, _OTHER = range(1, 6)


def search_key(text: str) -> str:
    """The form a name is searched in: casefolded, one apostrophe, single spaces."""
    return " ".join(text.translate(_TO_APOSTROPHE).casefold().split())


_WORD_BREAK = re.compile(r"[\s\-\u2010-\u2015]+")  # spaces and hyphens: Іванова-Петренко


def name_words(text: str) -> list[str]:
    """The words a name is found by, each by its beginning: casefolded, apostrophes dropped
    (Дем'яненко, Демʼяненко and Демяненко are one word), hyphenated parts apart."""
    words = _WORD_BREAK.split(search_key(text).replace("'", ""))
    return list(dict.fromkeys(word for word in words if word))


def prefix_range(prefix: str) -> tuple[str, str]:
    """(low, high): the strings that begin with `prefix` are those with low <= s < high, in
    code point order (a binary collation), which an ordinary index answers on any database."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def sort_prefix(word: str) -> tuple[bytes, bytes]:
    """(low, high): the sort keys of the names that begin with `word` (letter case and
    apostrophes aside) lie in low <= key < high, a range of the sort key's index in order."""
    low = _primary(word)
    high = low.rstrip(b"\xff")
    return low, high[:-1] + bytes([high[-1] + 1]) if high else b"\xff" * (len(low) + 1)


def sort_key(name: str) -> bytes:
    """Bytes that sort names in Ukrainian alphabetical order, letter case and apostrophes
    aside; names equal in that order are then ordered by their exact text."""
    return _primary(name) + b"\x00" + name.encode("utf-8")


def _primary(text: str) -> bytes:
    """The alphabetical part of the sort key: 4 bytes a letter, case and apostrophes aside."""
    return b"".join(_rank(ch).to_bytes(4, "big") for ch in search_key(text).replace("'", ""))


def _rank(ch: str) -> int:
    if ch in _RANK:
        return _CYRILLIC << 24 | _RANK[ch]
    base = unicodedata.normalize("NFD", ch)[0]  # é sorts with e, й stays й (ranked above)
    if base in _RANK:
        return _CYRILLIC << 24 | _RANK[base]
    if base.isdigit():
        return _DIGIT << 24 | unicodedata.digit(base, 0)
    if "a" <= base <= "z":
        return _LATIN << 24 | ord(base)
    if not base.isalnum():
        return _PUNCTUATION << 24 | ord(base) & 0xFFFFFF
    return _OTHER << 24 | ord(base) & 0xFFFFFF
