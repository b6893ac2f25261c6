"""Every command the tracker accepts, with its policy: the domain's writes (domain/commands.py)
and the account administration the application adds. `COMMANDS` is the one list; the bus
refuses anything else, and tests/unit/test_policy_matrix.py is generated from it.

Passwords travel in commands but never in logs: the bus logs a command's type only.
"""

from __future__ import annotations

from domain.access import Policy, Rule
from domain.commands import DOMAIN_COMMANDS, Command


class CreateAccount(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "create-account")
    user_id: str
    role: str
    name: str | None = None
    office: str | None = None
    region_code: str | None = None
    opd: str | None = None
    provinces: tuple[str, ...] = ()
    password: str | None = None  # None: a token-only account (integrations)


class DisableAccount(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "disable-account")
    user_id: str


class SetPassword(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "set-password")
    user_id: str
    password: str


class IssueToken(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.OWN_ACCOUNT, "issue-token")
    user_id: str
    name: str = "integration"
    expires_in_days: int | None = None


class RevokeToken(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.OWN_ACCOUNT, "revoke-token")
    token_id: str


class SetNotifications(Command, frozen=True, kw_only=True):
    """Where and how an account's reminders are mailed; not events: an address is erasable."""

    RULE = Rule(Policy.OWN_ACCOUNT, "set-notifications")
    user_id: str
    email: str | None = None
    lang: str = "id"
    digest: bool = False


# -- public subscriptions (tracker/subscriptions.py): anyone; the link's secret decides ------
class Subscribe(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.ANYONE, "subscribe")
    email: str
    scope: str  # a region or province code, forum:<id> or action:<id>
    lang: str = "id"


class ConfirmSubscription(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.ANYONE, "confirm-subscription")
    token: str


class Unsubscribe(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.ANYONE, "unsubscribe")
    token: str


class RegisterWebhook(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.ANYONE, "register-webhook")
    url: str
    secret: str
    scope: str = "*"


SUBSCRIPTION_COMMANDS: tuple[type[Command], ...] = (
    Subscribe,
    ConfirmSubscription,
    Unsubscribe,
    RegisterWebhook,
)

ACCOUNT_COMMANDS: tuple[type[Command], ...] = (
    CreateAccount,
    DisableAccount,
    SetPassword,
    IssueToken,
    RevokeToken,
    SetNotifications,
)

COMMANDS: dict[type[Command], Rule] = {
    command: command.RULE
    for command in (*DOMAIN_COMMANDS, *ACCOUNT_COMMANDS, *SUBSCRIPTION_COMMANDS)
}
