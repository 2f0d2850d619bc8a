"""The login session's cookie: sent again by pages, never by static files or fragments.

The session is permanent and slides with each request, so Flask re-sends the cookie on every
response, static files included. A stylesheet still loading from the page before, answered
after a form's redirect, then put back the cookie as it was before the form: the form's
flash message was lost (and a response with Set-Cookie is one no proxy may cache). An htmx
fragment still loading (the questionnaire's picture, drawn in its own request) did the same
to the Publish button's message. So the cookie slides with the pages only: a fragment sends
it when it changed the session, as any request does.
"""
from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface


class PageSessionInterface(SecureCookieSessionInterface):
    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        return request.endpoint != "static" and not request.headers.get("HX-Request") \
            and super().should_set_cookie(app, session)


def init_app(app: Flask) -> None:
    app.session_interface = PageSessionInterface()
