"""What a new password must be: long enough, not one of the 30,000 most common passwords
(zxcvbn's ranked list of leaked passwords), not the username. Codes, worded elsewhere."""
import enum
from functools import cache

MIN_LENGTH = 10


class Weakness(enum.StrEnum):
    TOO_SHORT = "too_short"
    COMMON = "common"
    USERNAME = "username"


@cache
def _common() -> frozenset[str]:
    from zxcvbn.matching import RANKED_DICTIONARIES  # 0.1 s to load: only when first asked
    return frozenset(RANKED_DICTIONARIES["passwords"])


def weakness(password: str, username: str = "", min_length: int = MIN_LENGTH) -> Weakness | None:
    """Why this password may not be chosen, or None."""
    if len(password) < min_length:
        return Weakness.TOO_SHORT
    folded = password.casefold()
    if username and folded == username.strip().casefold():
        return Weakness.USERNAME
    if folded in _common():
        return Weakness.COMMON
    return None
