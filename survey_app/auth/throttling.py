"""Failed logins throttled with Flask-Limiter: per account, and per client address.

Only failures count. Both limits are tested before the login runs and deducted after it only
when it answered 422 (wrong username or password, or an empty field), so people who type
their password right are never counted and a centre behind one address is not locked out by
one person's typos. While a limit is reached the login is refused with 429 before the
password is checked, so the right password does not get in either; sessions already open are
not touched (only POST /login is limited).

The account is keyed by the name as typed, folded the way the login could look it up,
whether or not such an account exists: an unknown name gets the same answers as a real one.
The key is hashed, so the storage never holds what people typed (a password typed into the
name box, say).
"""
import hashlib
import logging
import math
import time
import unicodedata

from flask import Flask, current_app, render_template, request
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from survey_app.extensions import limiter

log = logging.getLogger(__name__)
FAILED = 422  # how the login answers a wrong username or password


def init_app(app: Flask) -> None:
    """Count failures in memory, or in Redis when REDIS_URL is set (shared by every web
    process); trust PROXY_COUNT proxies to name the client."""
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    # Redis down: count in this process's memory rather than refuse every login
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, refused)


def account_key() -> str:
    """The posted name, stripped and case-folded, hashed."""
    name = unicodedata.normalize("NFKC", request.form.get("username", "")).strip().casefold()
    return "account:" + hashlib.sha256(name.encode()).hexdigest()[:32]


def address_key() -> str:
    """The client's address: the connection's, or the one PROXY_COUNT proxies forwarded."""
    return "address:" + (request.remote_addr or "unknown")


def _rule(setting: str):
    """A limit read from the settings at each request: "10 per 900 second"."""
    def rule() -> str:
        config = current_app.config
        return f"{config[setting]} per {config['LOGIN_WINDOW_SECONDS']} second"
    return rule


def _failed(response) -> bool:
    return response.status_code == FAILED


def failed_logins_limited(view):
    """Decorate the login view with both limits."""
    for rule, key, scope in ((_rule("LOGIN_FAILURES_PER_ACCOUNT"), account_key, "account"),
                             (_rule("LOGIN_FAILURES_PER_ADDRESS"), address_key, "address")):
        view = limiter.limit(rule, key_func=key, scope=scope, methods=["POST"],
                             deduct_when=_failed)(view)
    return view


def refused(error: RateLimitExceeded):
    """The login form again, with the name typed, saying how long to wait: 429."""
    from survey_app.auth.forms import LoginForm
    seconds = seconds_left()
    log.warning("Login refused: too many failed logins (%s) from %s; %d s left",
                error.description, request.remote_addr, seconds)
    form = LoginForm()
    minutes = max(1, math.ceil(seconds / 60))
    form.password.errors = [ngettext(
        "Too many failed login attempts. Try again in %(num)d minute.",
        "Too many failed login attempts. Try again in %(num)d minutes.", minutes)]
    page = render_template("auth/login.html", form=form)
    return page, 429, {"Retry-After": str(seconds)}


def seconds_left() -> int:
    """Until the oldest counted failure leaves the window and a login may be tried."""
    breached = limiter.current_limit
    if breached is None:
        return current_app.config["LOGIN_WINDOW_SECONDS"]
    return max(1, math.ceil(breached.window.reset_time - time.time()))
