"""Mail out into a list: what an installation without SMTP (and the in-memory tests) uses;
the workspace inbox is then the only channel, and the delivery log says so."""

from __future__ import annotations

import threading
from email.message import EmailMessage


class MemoryMailer:
    sender = "Pelacak Komitmen HAM <noreply@localhost>"

    def __init__(self) -> None:
        self.outbox: list[EmailMessage] = []
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> None:
        with self._lock:
            self.outbox.append(message)
