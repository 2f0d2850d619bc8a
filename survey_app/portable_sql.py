"""SQL that reads the same on SQLite and PostgreSQL, for figures computed in the database:
seconds between two stored times (durations sorted and aggregated), and text folded to lower
case for a search (SQLite's own lower() folds only ASCII, so Cyrillic would not match)."""
from sqlalchemy import Float, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import operators
from sqlalchemy.sql.functions import FunctionElement


class seconds_between(FunctionElement):  # noqa: N801 (an SQL function, named as one)
    """seconds_between(start, end): end - start in seconds, NULL when either is NULL."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _on_postgresql(element, compiler, **kw):
    # written as PostgreSQL prints it back, so an index on it compares equal to the models'
    start, end = (compiler.process(argument.self_group(against=operators.sub), **kw)
                  for argument in element.clauses)
    return f"EXTRACT(EPOCH FROM {end} - {start})"


@compiles(seconds_between, "sqlite")
def _on_sqlite(element, compiler, **kw):
    start, end = (compiler.process(argument, **kw) for argument in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


class folded(FunctionElement):  # noqa: N801
    """folded(text): the text in lower case, Cyrillic included, on both databases."""

    type = Text()
    inherit_cache = True
    name = "folded"


@compiles(folded)
def _folded_on_postgresql(element, compiler, **kw):
    # ICU's rules, not the database's locale: a cluster made with the C locale lowers only ASCII
    return f'lower(({compiler.process(element.clauses, **kw)}) COLLATE "und-x-icu")'


@compiles(folded, "sqlite")
def _folded_on_sqlite(element, compiler, **kw):
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"  # see extensions.py


class hour_of(FunctionElement):  # noqa: N801
    """hour_of(time): "YYYY-MM-DD HH" of a stored (UTC) time, to fold into local days."""

    type = Text()
    inherit_cache = True
    name = "hour_of"


@compiles(hour_of)
def _hour_on_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD HH24')"


@compiles(hour_of, "sqlite")
def _hour_on_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m-%d %H', {compiler.process(element.clauses, **kw)})"
