"""A contact's history on the card, a page at a time: a centre's regular can have hundreds
of surveys and thousands of calls, and the card must open at once all the same."""
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from survey_app.extensions import db
from survey_app.models import Call, CustomerSurvey, SurveyStatus

PER_PAGE = 20


def surveys(contact_id: int, page: int = 1) -> Pagination:
    """A page of the contact's surveys, newest first, with what the history table shows."""
    return _page(_surveys_of(contact_id), page)


def in_progress(contact_id: int) -> list[CustomerSurvey]:
    """The contact's surveys still open, whichever page of the history they are on."""
    return list(db.session.scalars(
        _surveys_of(contact_id).where(CustomerSurvey.status == SurveyStatus.IN_PROGRESS)))


def _surveys_of(contact_id: int):
    """The contact's surveys, newest first, with their questionnaire, campaign and operator
    joined in the same statement (the rows show them)."""
    return (select(CustomerSurvey).where(CustomerSurvey.contact_id == contact_id)
            .options(joinedload(CustomerSurvey.questionnaire),
                     joinedload(CustomerSurvey.campaign),
                     joinedload(CustomerSurvey.operator))
            .order_by(CustomerSurvey.started_at.desc(), CustomerSurvey.id.desc()))


def calls(contact_id: int, page: int = 1) -> Pagination:
    """A page of the contact's calls, newest first, with their operator and surveys."""
    return _page(select(Call).where(Call.contact_id == contact_id)
                 .options(joinedload(Call.operator), selectinload(Call.surveys))
                 .order_by(Call.started_at.desc(), Call.id.desc()), page)


def _page(statement, page: int) -> Pagination:
    """The page asked for; one past the end (a page that emptied since) is the last one."""
    def at(number: int) -> HistoryPage:
        return HistoryPage(select=statement, session=db.session(), page=number,
                           per_page=PER_PAGE, error_out=False)
    found = at(max(page, 1))
    if not found.items and found.pages and page > found.pages:
        found = at(found.pages)
    return found


class HistoryPage(SelectPagination):
    """A page that is not full is the last one: its total is known without counting, which
    spares most cards (a contact with fewer than 20 surveys or calls) a COUNT query each."""

    def _query_count(self) -> int:
        if self.items and len(self.items) < self.per_page:
            return self._query_offset + len(self.items)
        if not self.items and self.page == 1:
            return 0
        return super()._query_count()
