"""Name keys kept beside a name: the Ukrainian alphabetical order (and, for contacts, search)."""
from sqlalchemy import LargeBinary, event
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.names import sort_key


class SortedByName:
    """A mixin: `sort_name` follows the column named by `__sorted_by__` on every write, so
    lists ORDER BY sort_name in alphabetical order on SQLite and PostgreSQL alike."""

    __sorted_by__ = "name"
    sort_name: Mapped[bytes] = mapped_column(LargeBinary, index=True)

    @classmethod
    def keys_for(cls, name: str) -> dict:
        """The key columns for a name, for bulk inserts that skip the ORM's events."""
        return {"sort_name": sort_key(name)}

    def refresh_name_keys(self) -> None:
        for column, value in self.keys_for(getattr(self, self.__sorted_by__) or "").items():
            setattr(self, column, value)


@event.listens_for(SortedByName, "before_insert", propagate=True)
@event.listens_for(SortedByName, "before_update", propagate=True)
def _keep_keys(_mapper, _connection, target: SortedByName) -> None:
    target.refresh_name_keys()
