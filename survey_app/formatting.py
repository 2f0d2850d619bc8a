"""Template filters: dates, times, durations and numbers as the reader's language writes them.

Times are stored in naive UTC and shown in TIMEZONE. English uses British conventions
(day before month, 24-hour clock): the readers are Ukrainian contact centres, for whom
12/2/26 would be the 12th of February.
"""
import datetime as dt
import re
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import gettext as _

FORMAT_LOCALES = {"uk": "uk_UA", "en": "en_GB"}


def register(app: Flask) -> None:
    for name, function in (("localtime", localtime), ("day", day), ("duration", duration),
                           ("number", number), ("percent", percent), ("phone", phone),
                           ("clock", clock)):
        app.add_template_filter(function, name)


def phone(raw: str | None) -> str:
    """A phone number the one way every screen shows it (survey_app.phones.shown)."""
    from survey_app.phones import shown
    return shown(raw, current_app.config["PHONE_REGION"])


def _locale() -> Locale:
    language = get_locale()
    code = language.language if language else current_app.config["DEFAULT_LANGUAGE"]
    return Locale.parse(FORMAT_LOCALES.get(code, code))


def date_pattern(locale: Locale | None = None) -> str:
    """The locale's short date with the whole year: 02.12.2026, 02/12/2026."""
    pattern = (locale or _locale()).date_formats["short"].pattern
    return pattern.replace("yyyy", "y").replace("yy", "y")


_TIMES = {"datetime": "HH:mm", "seconds": "HH:mm:ss"}


def localtime(value: dt.datetime | None, style: str = "datetime") -> str:
    """A stored naive-UTC time in TIMEZONE: 'datetime' (date and minutes), 'seconds' (date
    and seconds) or 'time' (seconds only, for an answer or end beside its start)."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    moment = value.replace(tzinfo=dt.UTC).astimezone(zone)
    locale = _locale()
    if style == "time":
        return format_datetime(moment, "HH:mm:ss", tzinfo=zone, locale=locale)
    pattern = f"{date_pattern(locale)} {_TIMES[style]}"
    return format_datetime(moment, pattern, tzinfo=zone, locale=locale)


def local_moment(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC time as the centre's wall clock reads it (for exports)."""
    if value is None:
        return None
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return value.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)


def local_today() -> dt.date:
    """Today in the centre's time zone (TIMEZONE): the day "today" counts."""
    return dt.datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def day_start(value: dt.date) -> dt.datetime:
    """The stored (naive UTC) moment a calendar day begins in TIMEZONE: a filter's bound."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = dt.datetime.combine(value, dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def day(value: dt.date | None) -> str:
    """A calendar date (a birthday, a filter's bound)."""
    return format_date(value, date_pattern(), locale=_locale()) if value else ""


def parse_day(text: str) -> dt.date:
    """A date typed as the page writes it (or as ISO 8601); ValueError when it is not one.

    Strict on purpose: Babel's parse_date swaps day and month when the month is over 12,
    which would take an American 11/26/2026 on a British page without a word.
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    parts = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
    if parts is None:
        raise ValueError(text)
    pattern = date_pattern()
    order = sorted("dMy", key=pattern.index)  # e.g. d, M, y
    values = dict(zip(order, map(int, parts.groups()), strict=True))
    return dt.date(values["y"], values["M"], values["d"])


def duration(value: dt.timedelta | float | None) -> str:
    """3 min 05 s, or 42 s, or 1 h 02 min."""
    if value is None:
        return ""
    seconds = int(round(value.total_seconds() if isinstance(value, dt.timedelta) else value))
    minutes, seconds = divmod(max(seconds, 0), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min", hours=hours, minutes=minutes)
    if minutes:
        return _("%(minutes)d min %(seconds)02d s", minutes=minutes, seconds=seconds)
    return _("%(seconds)d s", seconds=seconds)


def clock(value: dt.timedelta | None) -> str:
    """A time elapsed as a wallboard shows it, the same in every language: 4:05, 1:02:03
    (static/js/floor.js goes on counting it the same way)."""
    if value is None:
        return ""
    minutes, seconds = divmod(max(int(value.total_seconds()), 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def number(value: float | int | None) -> str:
    """10 000 in Ukrainian, 10,000 in English."""
    return "" if value is None else format_decimal(value, locale=_locale())


def percent(share: float) -> str:
    """A share given in percent (42.5 -> 43 %)."""
    return format_percent(share / 100, locale=_locale())
