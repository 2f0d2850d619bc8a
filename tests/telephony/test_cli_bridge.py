"""`flask ami-bridge`: the bridge alone, logging in and feeding the pipeline."""
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call
from tests.telephony.ami_peer import AmiPeer


def test_ami_bridge_command_needs_ami_host(runner):
    result = runner.invoke(args=["ami-bridge", "--run-for", "0"])
    assert result.exit_code != 0 and "Set AMI_HOST" in result.output


def test_ami_bridge_command_logs_in_and_records_calls(app, runner):
    with AmiPeer("inbound_answered.ami") as peer:
        peer.configure(app)
        result = runner.invoke(args=["ami-bridge", "--run-for", "1.5"])
        assert [a.name for a in peer.actions][:2] == ["Login", "CoreShowChannels"]
    assert "AMI bridge started for 127.0.0.1" in result.output
    assert "without REDIS_URL" in result.output
    with app.app_context():
        call = db.session.scalar(select(Call))
        assert call.outcome == "answered" and call.extension == "305"
