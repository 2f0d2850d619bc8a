"""The forms by themselves (as cookiecutter-flask tests them): what each accepts, what it
refuses and with which words, without a route in between."""
import pytest
from werkzeug.datastructures import MultiDict

from survey_app.accounts.forms import TelephonySettingsForm
from survey_app.supervision.forms import CallFilterForm
from survey_app.telephony.web.forms import (
    AgentStateForm,
    ClickToCallForm,
    SimulatedCallForm,
    TransferForm,
)

NO_CSRF = {"csrf": False}


def _form(app, form_class, *args, **data):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        form = form_class(*args, formdata=MultiDict(data), meta=NO_CSRF) if not args else \
            form_class(MultiDict(data), *args)
        return form.validate(), form, {k: [str(e) for e in v] for k, v in form.errors.items()}


@pytest.mark.parametrize(("number", "e164"), [
    ("093 111 22 33", "+380931112233"), ("+380 50 123 45 67", "+380501234567"),
    ("380501234567", "+380501234567")])
def test_click_to_call_takes_any_common_format_and_keeps_the_e164(app, number, e164):
    ok, form, _errors = _form(app, ClickToCallForm, number=number)
    assert ok and form.e164 == e164


@pytest.mark.parametrize(("number", "error"), [
    ("", "Give the number to call."),
    ("12-ab", "“12-ab” is not a valid phone number; nothing was dialled.")])
def test_click_to_call_refuses_what_is_not_a_number(app, number, error):
    ok, form, errors = _form(app, ClickToCallForm, number=number)
    assert not ok and errors == {"number": [error]} and form.first_error() == error


@pytest.mark.parametrize(("target", "ok"), [
    ("306", True), ("+380931112233", True), (" 306 ", True), ("", False), ("abc", False),
    ("306\r\nAction: Originate", False), ("1" * 21, False), ("+", False)])
def test_a_transfer_target_is_an_extension_or_a_number(app, target, ok):
    valid, form, errors = _form(app, TransferForm, target=target)
    assert valid is ok
    if not ok:
        assert form.first_error() == ("Give an extension or a phone number to transfer the "
                                      "call to.")


@pytest.mark.parametrize(("state", "ok"), [("ready", True), ("dnd", True), ("away", False),
                                           ("", False)])
def test_the_agent_state_is_ready_or_do_not_disturb(app, state, ok):
    valid, form, _errors = _form(app, AgentStateForm, state=state)
    assert valid is ok
    if not ok:
        assert "not one of Ready or Do not disturb" in form.first_error()


@pytest.mark.parametrize(("number", "ok", "e164"), [
    ("050 123 45 67", True, "+380501234567"), ("", True, None), ("hello", False, None)])
def test_a_simulated_callers_number_follows_the_phone_rules(app, number, ok, e164):
    valid, form, errors = _form(app, SimulatedCallForm, number=number, extension="305")
    assert valid is ok and form.e164 == e164
    if not ok:
        assert errors == {"number": ["“hello” is not a valid phone number."]}


def test_the_calls_filters_name_each_bad_value_and_keep_the_good_ones(app):
    class Someone:
        id, full_name = 7, "Олена Коваль"
    valid, form, errors = _form(app, CallFilterForm, [Someone()], **{
        "operator": "99", "direction": "sideways", "outcome": "busy", "from": "31.02.2026",
        "to": "2026-11-26", "page": "0"})
    assert not valid
    assert set(errors) == {"operator", "direction", "date_from", "page"}
    assert errors["date_from"][0].startswith("“31.02.2026” is not a date: write it as ")
    assert (form.valid("outcome"), form.valid("direction"), form.valid("operator")) == (
        "busy", None, None)
    assert str(form.valid("date_to")) == "2026-11-26"


def test_the_calls_filters_take_a_known_operator(app):
    class Someone:
        id, full_name = 7, "Олена Коваль"
    valid, form, _errors = _form(app, CallFilterForm, [Someone()], operator="7")
    assert valid and form.valid("operator") == 7 and form.valid("page") == 1


def test_an_extension_taken_names_its_owner_by_name(app):
    from flask_login import login_user

    from survey_app.extensions import db
    from survey_app.models import User
    with app.test_request_context(headers={"Accept-Language": "en"}):
        login_user(db.session.scalar(db.select(User).where(User.username == "operator2")))
        owner = db.session.scalar(db.select(User.full_name).where(User.extension == "305"))
        form = TelephonySettingsForm(formdata=MultiDict({"extension": "305"}), meta=NO_CSRF)
        assert not form.validate()
        assert form.errors == {"extension": [
            f"Extension 305 is already taken by {owner}."]}
        db.session.rollback()


def test_the_calls_page_without_filters_is_valid(app):
    valid, _form_, errors = _form(app, CallFilterForm, [])
    assert valid and errors == {}
