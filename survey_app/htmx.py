"""HTMX conventions shared by the blueprints."""
from flask import make_response, redirect, request


def go(url: str):
    """A full navigation: HX-Redirect for htmx, 303 otherwise (a page without JavaScript)."""
    if request.headers.get("HX-Request"):
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)
