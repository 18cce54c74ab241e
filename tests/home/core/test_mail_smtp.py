"""The pipelining SMTP backend against a real SMTP server (aiosmtpd on loopback): MAIL, RCPT and
DATA leave in one write when the server offers PIPELINING, messages arrive byte for byte (a line
starting with a dot survives), refusals raise as Django's backend does, and a server without
PIPELINING is spoken to the ordinary way."""

import smtplib

import pytest
from django.core.mail import EmailMessage

from home.core.mail_smtp import EmailBackend
from tests.home.runtime.processes import free_port


class _Server:
    def __init__(self, *, pipelining: bool, refuse: str = ""):
        self.pipelining, self.refuse, self.messages = pipelining, refuse, []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]] if self.pipelining else responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    def start(**kwargs):
        handler = _Server(**kwargs)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return handler

    started = []
    yield start
    for controller in started:
        controller.stop()


def _writes(monkeypatch) -> list[bytes]:
    writes = []
    original = smtplib.SMTP.send

    def send(self, data):
        writes.append(data if isinstance(data, bytes) else data.encode())
        return original(self, data)

    monkeypatch.setattr(smtplib.SMTP, "send", send)
    return writes


def _message(to: str, n: int) -> EmailMessage:
    return EmailMessage(f"Issue {n}", f"Hello {n}\n.a line that starts with a dot\n", "news@huddle.test", [to])


def test_pipelined_envelope_in_one_write_and_every_message_arrives_intact(smtp_server, monkeypatch):
    server = smtp_server(pipelining=True)
    writes = _writes(monkeypatch)
    with EmailBackend() as backend:
        assert backend.send_messages([_message(f"r{n}@example.com", n) for n in range(3)]) == 3
    envelopes = [w for w in writes if w.startswith(b"MAIL FROM:")]
    assert len(envelopes) == 3
    assert envelopes[0] == b"MAIL FROM:<news@huddle.test> SIZE=" + envelopes[0].split(b"SIZE=")[1]
    assert envelopes[0].endswith(b"\r\nRCPT TO:<r0@example.com>\r\nDATA\r\n")
    assert [(m[0], m[1]) for m in server.messages] == [("news@huddle.test", [f"r{n}@example.com"]) for n in range(3)]
    assert b"\r\n.a line that starts with a dot\r\n" in server.messages[2][2]
    assert b"Subject: Issue 2" in server.messages[2][2]


def test_refused_recipient_raises_and_the_connection_goes_on(smtp_server):
    server = smtp_server(pipelining=True, refuse="gone@example.com")
    with EmailBackend() as backend:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            backend.send_messages([_message("gone@example.com", 1)])
        assert backend.send_messages([_message("here@example.com", 2)]) == 1
    assert [m[1] for m in server.messages] == [["here@example.com"]]


def test_refusal_is_silent_when_asked(smtp_server):
    smtp_server(pipelining=True, refuse="gone@example.com")
    with EmailBackend(fail_silently=True) as backend:
        assert backend.send_messages([_message("gone@example.com", 1)]) == 0


def test_server_without_pipelining_is_spoken_to_one_command_at_a_time(smtp_server, monkeypatch):
    server = smtp_server(pipelining=False)
    writes = _writes(monkeypatch)
    with EmailBackend() as backend:
        assert backend.send_messages([_message("r@example.com", 1)]) == 1
    assert not any(b"\r\nRCPT TO:" in w for w in writes)
    assert len(server.messages) == 1
