"""Every Flask extension object, created unbound so the app factory can bind them."""
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sock import Sock
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Enum, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
sock = Sock()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # the lazy message, worded at the request's language
# Failed logins (auth/throttling.py). A moving window: the failures of the last N seconds,
# not of a calendar window an attacker could straddle. The storage is chosen per app.
limiter = Limiter(key_func=get_remote_address, strategy="moving-window",
                  key_prefix="survey-app-logins")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets readers run beside the writer; SQLite leaves foreign keys off unless asked;
    unicode_lower() lowers any letter (SQLite's lower() only ASCII ones): portable_sql.folded."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("unicode_lower", 1, _lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _lower(text):
    return text.lower() if isinstance(text, str) else text


def enum_values(enum_class) -> list[str]:
    """Store enums by value ("in_progress"), readable in SQL, not by Python name."""
    return [member.value for member in enum_class]


def fixed_list(enum_class, length: int = 20) -> Enum:
    """A column holding one of a StrEnum's values, as a plain string on every database."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=enum_values,
                validate_strings=True)
