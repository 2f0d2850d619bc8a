"""Settings from environment variables, with safe defaults for the embedded set-up."""
import datetime as dt
import functools
import os
import secrets
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _instance_secret(instance_path: Path) -> str:
    """A random secret kept in instance/ so sessions survive restarts and no secret is in git."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _language(code: str) -> str:
    """DEFAULT_LANGUAGE must be one the interface speaks: refuse to start otherwise."""
    from survey_app.language import LANGUAGES
    if code not in LANGUAGES:
        raise ValueError(f"DEFAULT_LANGUAGE={code!r}: use one of {', '.join(LANGUAGES)}")
    return code


def _technology(name: str) -> str:
    """CHANNEL_TECHNOLOGY names how the operators' phones are dialled: refuse a typo at start."""
    from survey_app.telephony.calls.channels import TECHNOLOGIES
    if name not in TECHNOLOGIES:
        raise ValueError(f"CHANNEL_TECHNOLOGY={name!r}: use one of {', '.join(TECHNOLOGIES)}")
    return name


def _log_format(name: str) -> str:
    """LOG_FORMAT: text (a line for a person) or json (an object a line for a collector)."""
    if name.lower() not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT={name!r}: use text or json")
    return name.lower()


def _log_level(name: str) -> str:
    """LOG_LEVEL is one of Python's level names: refuse a typo at start."""
    if name.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError(f"LOG_LEVEL={name!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return name.upper()


def _count(name: str, value: str, least: int = 1) -> int:
    """A whole number of at least `least`: refuse a typo or a zero limit at start."""
    try:
        number = int(value)
    except ValueError:
        number = least - 1
    if number < least:
        raise ValueError(f"{name}={value!r}: use a whole number of at least {least}")
    return number


def _https(on: bool) -> dict:
    """Served behind HTTPS: cookies only over HTTPS, and links made for https."""
    return {"SESSION_COOKIE_SECURE": on, "REMEMBER_COOKIE_SECURE": on,
            "PREFERRED_URL_SCHEME": "https" if on else "http"}


def _pool(env) -> dict:
    """Each process's connections to the database: DB_POOL_SIZE kept open, DB_MAX_OVERFLOW more
    at a peak, DB_POOL_TIMEOUT seconds to wait for one, each replaced after DB_POOL_RECYCLE
    seconds. Every connection is checked before use (pre-ping), so a restarted database is
    picked up without restarting the app."""
    return {"pool_pre_ping": True,
            "pool_size": _count("DB_POOL_SIZE", env.get("DB_POOL_SIZE", "5")),
            "max_overflow": _count("DB_MAX_OVERFLOW", env.get("DB_MAX_OVERFLOW", "10"), least=0),
            "pool_timeout": _count("DB_POOL_TIMEOUT", env.get("DB_POOL_TIMEOUT", "30")),
            "pool_recycle": _count("DB_POOL_RECYCLE", env.get("DB_POOL_RECYCLE", "1800"))}


def defaults() -> dict:
    """Settings that do not depend on the environment."""
    return {
        "PHONE_REGION": "UA",
        "TIMEZONE": "Europe/Kyiv",
        "DEFAULT_LANGUAGE": "uk",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),  # a shift
        "REMEMBER_COOKIE_DURATION": dt.timedelta(days=7),  # "Keep me logged in": a week
        # failed logins (auth/throttling.py): per account, per client address, and how long
        # they are counted; PROXY_COUNT proxies in front are trusted to name the client
        "LOGIN_FAILURES_PER_ACCOUNT": 10,
        "LOGIN_FAILURES_PER_ADDRESS": 100,
        "LOGIN_WINDOW_SECONDS": 15 * 60,
        "PROXY_COUNT": 0,
        "WTF_CSRF_TIME_LIMIT": None,  # a survey can stay open for a whole shift
        # A socket's reader thread outlives its socket by up to ping_interval (it waits in
        # select on the closed descriptor); as a daemon it does not hold a stopping process.
        "SOCK_SERVER_OPTIONS": {"ping_interval": 25,
                                "thread_class": functools.partial(threading.Thread, daemon=True)},
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "AMI_PORT": 5038,
        "AMI_CONTEXT": "from-crm",
        "AMI_TRANSFER_CONTEXT": "from-internal",
        "AMI_PARKING_CONTEXT": "parkedcalls",  # res_parking's default lot
        "AMI_BRIDGE_IN_WEB": True,
        "CHANNEL_TECHNOLOGY": "PJSIP",
        "OPERATORS_REFRESH_SECONDS": 5.0,  # how soon a bridge learns a changed extension
        "TRAINING_MODE": False,
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "text",
        "PASSWORD_MIN_LENGTH": 10,
        # requests of a process running at once (survey_app/request_slots.py), and how long
        # one waits for its turn before a 503
        "REQUEST_SLOTS": 2,
        "REQUEST_SLOT_TIMEOUT": 30.0,
        # a survey with no step for this long is stale: it may be closed as abandoned
        "SURVEY_STALE_HOURS": 12,
        "SURVEYS_PER_PAGE": 50,
        # the floor: a page's socket stamps its user this often; a user no page has stamped
        # for the second is offline (telephony/presence.py)
        "PRESENCE_BEAT_SECONDS": 10.0,
        "PRESENCE_OFFLINE_SECONDS": 60.0,
        # closed surveys are tallied for the results once they finished this long ago: a
        # step that took its finish time before it committed is never missed
        "RESULTS_TALLY_MARGIN_SECONDS": 60,
    }


def from_environment(instance_path: Path) -> dict:
    """Read every setting the app knows from the environment, over the defaults."""
    env, base = os.environ, defaults()
    default_db = f"sqlite:///{instance_path / 'survey.db'}"
    return base | {
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", default_db),
        "PHONE_REGION": env.get("PHONE_REGION", "UA"),
        "TIMEZONE": env.get("TIMEZONE", "Europe/Kyiv"),
        "DEFAULT_LANGUAGE": _language(env.get("DEFAULT_LANGUAGE", base["DEFAULT_LANGUAGE"])),
        "REDIS_URL": env.get("REDIS_URL"),
        "AMI_HOST": env.get("AMI_HOST"),
        "AMI_PORT": int(env.get("AMI_PORT", base["AMI_PORT"])),
        "AMI_USERNAME": env.get("AMI_USERNAME"),
        "AMI_SECRET": env.get("AMI_SECRET"),
        "AMI_CONTEXT": env.get("AMI_CONTEXT", base["AMI_CONTEXT"]),
        "AMI_TRANSFER_CONTEXT": env.get("AMI_TRANSFER_CONTEXT", base["AMI_TRANSFER_CONTEXT"]),
        "AMI_PARKING_CONTEXT": env.get("AMI_PARKING_CONTEXT", base["AMI_PARKING_CONTEXT"]),
        "AMI_BRIDGE_IN_WEB": env.get("AMI_BRIDGE_IN_WEB", "1") == "1",
        "CHANNEL_TECHNOLOGY": _technology(env.get("CHANNEL_TECHNOLOGY", "PJSIP")),
        "OPERATORS_REFRESH_SECONDS": float(env.get("OPERATORS_REFRESH_SECONDS", "5")),
        "TRAINING_MODE": env.get("TRAINING_MODE", "") == "1",
        "LOG_LEVEL": _log_level(env.get("LOG_LEVEL", "INFO")),
        "LOG_FORMAT": _log_format(env.get("LOG_FORMAT", "text")),
        "PASSWORD_MIN_LENGTH": int(env.get("PASSWORD_MIN_LENGTH", "10")),
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(
            hours=_count("SESSION_LIFETIME_HOURS", env.get("SESSION_LIFETIME_HOURS", "12"))),
        "REMEMBER_COOKIE_DURATION": dt.timedelta(
            days=_count("REMEMBER_ME_DAYS", env.get("REMEMBER_ME_DAYS", "7"))),
        "LOGIN_FAILURES_PER_ACCOUNT": _count("LOGIN_FAILURES_PER_ACCOUNT",
                                             env.get("LOGIN_FAILURES_PER_ACCOUNT", "10")),
        "LOGIN_FAILURES_PER_ADDRESS": _count("LOGIN_FAILURES_PER_ADDRESS",
                                             env.get("LOGIN_FAILURES_PER_ADDRESS", "100")),
        "LOGIN_WINDOW_SECONDS": _count("LOGIN_WINDOW_SECONDS",
                                       env.get("LOGIN_WINDOW_SECONDS", "900")),
        "PROXY_COUNT": _count("PROXY_COUNT", env.get("PROXY_COUNT", "0"), least=0),
        "SQLALCHEMY_ENGINE_OPTIONS": _pool(env),
        "REQUEST_SLOTS": _count("REQUEST_SLOTS", env.get("REQUEST_SLOTS", "2")),
        "SURVEY_STALE_HOURS": _count("SURVEY_STALE_HOURS", env.get("SURVEY_STALE_HOURS", "12")),
        # SESSION_COOKIE_SECURE is the older name of HTTPS
        **_https(env.get("HTTPS", env.get("SESSION_COOKIE_SECURE", "")) == "1"),
    }
