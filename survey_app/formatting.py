"""Template filters: local times and durations as operators read them."""
import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def register(app: Flask) -> None:
    app.add_template_filter(localtime)
    app.add_template_filter(duration)


def localtime(value: dt.datetime | None, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """A stored naive-UTC time in the configured time zone."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "UTC"))
    return value.replace(tzinfo=dt.UTC).astimezone(zone).strftime(fmt)


def duration(value: dt.timedelta | float | None) -> str:
    """3 min 05 s, or 42 s."""
    if value is None:
        return ""
    seconds = int(round(value.total_seconds() if isinstance(value, dt.timedelta) else value))
    minutes, seconds = divmod(max(seconds, 0), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
