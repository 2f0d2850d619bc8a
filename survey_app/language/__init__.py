"""The interface's languages: which one a request gets, the switch, and the catalogs.

This module imports nothing, so settings can check DEFAULT_LANGUAGE against it."""

LANGUAGES = ("uk", "en")  # in the order offered
COOKIE = "language"  # the choice made before logging in
