"""Phone numbers to E.164 with phonenumbers: pure, so lookups and storage agree."""
import re

import phonenumbers

_DIGITS = re.compile(r"\d")


def to_e164(raw: str | None, region: str = "UA") -> str | None:
    """+380501234567 for any common way of writing it, or None when it is not a phone number."""
    if not raw or not _DIGITS.search(raw):
        return None
    text = raw.strip()
    # "380501234567" without the plus is common in PBX caller ids; try it as international too
    candidates = [text] if text.startswith("+") else [text, "+" + text.lstrip("0")]
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def digits(raw: str) -> str:
    """Only the digits of what was typed, for partial-number search."""
    return "".join(_DIGITS.findall(raw))


def reversed_digits(raw: str | None) -> str:
    """A number's digits last first: a search by its last digits is then a search by the
    beginning of this key, which an index answers."""
    return digits(raw or "")[::-1]


def shown(raw: str | None, region: str = "UA") -> str:
    """One way for every number on every screen: international, '+380 50 123 4567'. What is
    not a phone number (a short extension, a PBX's odd caller id) is shown as it came."""
    if not raw:
        return ""
    e164 = to_e164(raw, region)
    if e164 is None:
        return raw.strip()
    return phonenumbers.format_number(phonenumbers.parse(e164),
                                      phonenumbers.PhoneNumberFormat.INTERNATIONAL)
