"""The few words that the page's JavaScript writes itself, in the page's language: rendered
into the page as JSON (base.html), so there is one catalog, not a second one for scripts."""
from flask_babel import gettext as _


def client_text() -> dict[str, str]:
    return {
        # %(status)s is filled in by static/js/app.js
        "requestFailed": _("The request failed (%(status)s)."),
        "offline": _("The server cannot be reached. Check the connection; nothing was "
                     "recorded."),
        "incomingCall": _("Incoming call"),
        "liveWorking": _("Live connection: working"),
        "liveLost": _("Live connection: lost, reconnecting"),
    }
