"""Settings from the environment (TRACKER_*), overridable by CLI flags.

With no URLs configured the tracker embeds PostgreSQL and NATS under the data directory;
with TRACKER_DATABASE_URL / TRACKER_NATS_URL it embeds nothing and uses those servers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    # None: nothing on disk (tests): an in-memory signing key, no demo password file.
    data_dir: Path | None = Path(".tracker")
    database_url: str | None = None
    nats_url: str | None = None
    nats_replicas: int = 1  # servers of a NATS cluster holding each stream (the relay sets it)
    host: str = "127.0.0.1"
    port: int = 8000
    log_format: str = "auto"  # auto | json | console
    log_level: str = "info"
    cookie_secure_setting: str = "auto"  # auto | true | false
    audit_key_file: Path | None = None  # Ed25519 private key (PEM); default in data_dir
    checkpoint_seconds: float = 60.0
    reminder_seconds: float = 300.0  # deadline reminders are checked at least this often
    reminders: bool = True  # run the reminder process manager with the other workers
    delivery: bool = True  # mail the reminders (through SMTP when a host is set)
    smtp_host: str | None = None  # None: no mail leaves; the inbox is the only channel
    smtp_port: int = 587
    smtp_tls: str = "starttls"  # starttls | ssl | none
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = "Pelacak Komitmen HAM <noreply@localhost>"
    public_url: str | None = None  # the links in mails; default http://host:port
    audit_origin: str = "pelacak-komitmen-ham"  # names this log in signed checkpoints
    ready_max_lag: int = 10_000  # /ready is 503 while the read models lag more events
    import_wait_seconds: float = 2.0  # a longer workspace import shows its progress page
    demo: bool = False  # `serve --demo`: replay the demo scenario into an empty store
    workers: bool = True  # relay, projector and sealer in-process (`serve --no-workers`)
    response_cache: bool = True  # keep anonymous read-model answers while their ETag holds

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        settings = cls(
            data_dir=Path(env.get("TRACKER_DATA_DIR", ".tracker")),
            database_url=env.get("TRACKER_DATABASE_URL") or None,
            nats_url=env.get("TRACKER_NATS_URL") or None,
            nats_replicas=int(env.get("TRACKER_NATS_REPLICAS", "1")),
            host=env.get("TRACKER_HOST", "127.0.0.1"),
            port=int(env.get("TRACKER_PORT", "8000")),
            log_format=env.get("TRACKER_LOG_FORMAT", "auto"),
            log_level=env.get("TRACKER_LOG_LEVEL", "info"),
            cookie_secure_setting=env.get("TRACKER_COOKIE_SECURE", "auto").lower(),
            audit_key_file=Path(env["TRACKER_AUDIT_KEY_FILE"])
            if env.get("TRACKER_AUDIT_KEY_FILE")
            else None,
            checkpoint_seconds=float(env.get("TRACKER_CHECKPOINT_SECONDS", "60")),
            reminder_seconds=float(env.get("TRACKER_REMINDER_SECONDS", "300")),
            reminders=env.get("TRACKER_REMINDERS", "on").lower() not in ("off", "false", "0"),
            delivery=env.get("TRACKER_DELIVERY", "on").lower() not in ("off", "false", "0"),
            response_cache=env.get("TRACKER_RESPONSE_CACHE", "on").lower()
            not in ("off", "false", "0"),
            smtp_host=env.get("TRACKER_SMTP_HOST") or None,
            smtp_port=int(env.get("TRACKER_SMTP_PORT", "587")),
            smtp_tls=env.get("TRACKER_SMTP_TLS", "starttls").lower(),
            smtp_username=env.get("TRACKER_SMTP_USERNAME") or None,
            smtp_password=env.get("TRACKER_SMTP_PASSWORD") or None,
            mail_from=env.get("TRACKER_MAIL_FROM", "Pelacak Komitmen HAM <noreply@localhost>"),
            public_url=env.get("TRACKER_PUBLIC_URL") or None,
            audit_origin=env.get("TRACKER_AUDIT_ORIGIN", "pelacak-komitmen-ham"),
            import_wait_seconds=float(env.get("TRACKER_IMPORT_WAIT_SECONDS", "2")),
            ready_max_lag=int(env.get("TRACKER_READY_MAX_LAG", "10000")),
        )
        if settings.cookie_secure_setting not in ("auto", "true", "false"):
            raise ValueError("TRACKER_COOKIE_SECURE must be auto, true or false")
        if not settings.checkpoint_seconds > 0:
            raise ValueError("TRACKER_CHECKPOINT_SECONDS must be a positive number")
        if settings.smtp_tls not in ("starttls", "ssl", "none"):
            raise ValueError("TRACKER_SMTP_TLS must be starttls, ssl or none")
        if settings.ready_max_lag < 0:
            raise ValueError("TRACKER_READY_MAX_LAG must be zero or a positive number")
        if not settings.import_wait_seconds >= 0:
            raise ValueError("TRACKER_IMPORT_WAIT_SECONDS must be zero or a positive number")
        if not settings.reminder_seconds > 0:
            raise ValueError("TRACKER_REMINDER_SECONDS must be a positive number")
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def cookie_secure(self) -> bool:
        """Browsers send Secure cookies over HTTPS only (and to localhost): behind a TLS
        proxy keep them secure; plain HTTP on loopback is the one exception 'auto' makes."""
        if self.cookie_secure_setting != "auto":
            return self.cookie_secure_setting == "true"
        return self.host not in ("127.0.0.1", "localhost", "::1")

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def audit_key_path(self) -> Path | None:
        if self.audit_key_file is not None:
            return self.audit_key_file
        return None if self.data_dir is None else self.data_dir / "audit-ed25519.pem"

    @property
    def key_path(self) -> Path:
        """The signing key of a command that needs one (the CLI always has a data dir)."""
        path = self.audit_key_path
        if path is None:
            raise ValueError("no data directory or TRACKER_AUDIT_KEY_FILE configured")
        return path

    @property
    def home(self) -> Path:
        """The data directory of a command that needs one (the CLI always has one)."""
        if self.data_dir is None:
            raise ValueError("no data directory configured")
        return self.data_dir

    @property
    def embeds_anything(self) -> bool:
        return self.database_url is None or self.nats_url is None

    def redacted_database_url(self) -> str | None:
        """For logs: never print a password."""
        if self.database_url is None:
            return None
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.database_url)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
            return urlunsplit(parts._replace(netloc=netloc))
        return self.database_url
