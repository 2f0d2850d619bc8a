"""url_for for the templates, keeping the addresses that are the same on every page.

A page's frame (base.html) builds about 17 links, most of them with no arguments (the nav,
the static files); each url_for walked Werkzeug's routing map anew (about 12 µs). Those are
kept per application root; a link with arguments (a contact's card) is built every time.
"""
from flask import has_request_context, request, url_for

_KEPT: dict[tuple[str, str, str | None], str] = {}


def template_url_for(endpoint: str, **values) -> str:
    fixed = not values or (endpoint == "static" and values.keys() == {"filename"})
    if not fixed or not has_request_context():
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, values.get("filename"))
    address = _KEPT.get(key)
    if address is None:
        address = url_for(endpoint, **values)
        if address.startswith("/"):  # the socket's is ws://HOST/...: built for each host
            _KEPT[key] = address
    return address
