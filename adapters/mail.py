"""Mail out through SMTP (the standard library's smtplib, in a worker thread: one message a
call, a connection each time, so a dead server costs one timeout and nothing else).

`tls`: "starttls" upgrades a plain connection (port 587), "ssl" connects with TLS (465),
"none" is for a relay on the same host or a test server only."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    tls: str = "starttls"  # starttls | ssl | none
    username: str | None = None
    password: str | None = None
    sender: str = "Pelacak Komitmen HAM <noreply@localhost>"
    timeout: float = 20.0


class SmtpMailer:
    def __init__(self, settings: SmtpSettings) -> None:
        if settings.tls not in ("starttls", "ssl", "none"):
            raise ValueError("TRACKER_SMTP_TLS must be starttls, ssl or none")
        self.settings = settings

    @property
    def sender(self) -> str:
        return self.settings.sender

    def send(self, message: EmailMessage) -> None:
        """Raises smtplib.SMTPException or OSError when the server does not take it."""
        s = self.settings
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if s.tls == "ssl":
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        with client:
            if s.tls == "starttls":
                client.starttls(context=context)
            if s.username:
                client.login(s.username, s.password or "")
            client.send_message(message)
