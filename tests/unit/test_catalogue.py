"""The one message catalogue: both languages have every key, every parameter a message
names is one its callers pass, and every refusal the domain can raise has words."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from domain.errors import DomainError, Text
from tracker import catalogue
from tracker.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
ERROR_CLASSES = {"InvalidInput", "RuleViolated", "NotAllowed", "SignInRequired", "_refuse"}
ACCOUNT_CLASSES = {"AccountError", "AccountExists", "AccountMissing"}
CLI_CALLS = {"CliError", "say", "helptext"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys_and_no_empty_or_fuzzy_entry() -> None:
    keys = {}
    for lang in catalogue.LANGUAGES:
        path = ROOT / "tracker" / "locale" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as po:
            entries = [m for m in read_po(po) if m.id]
        assert not [m.id for m in entries if not m.string], f"{lang}: untranslated entries"
        assert not [m.id for m in entries if m.fuzzy], f"{lang}: fuzzy entries"
        keys[lang] = {m.id for m in entries}
    assert keys["id"] == keys["en"], keys["id"] ^ keys["en"]
    assert len(keys["id"]) > 300  # the portal, the API's problems and every domain refusal


def test_a_message_names_the_same_parameters_in_both_languages() -> None:
    differ = [
        key
        for key in catalogue.messages("id")
        if _fields(catalogue.messages("id")[key]) != _fields(catalogue.messages("en")[key])
    ]
    assert not differ


def _raised() -> dict[str, set[frozenset[str]]]:
    """Every `error.<text or code>` / `account.<code>` the code base can raise with a
    literal code, and the parameter names each raise passes."""
    found: dict[str, set[frozenset[str]]] = {}
    sources = [*ROOT.glob("domain/*.py"), *ROOT.glob("tracker/**/*.py")]
    for path in [*sources, *ROOT.glob("adapters/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name, code = ast.unparse(node.func), node.args[0]
            text = next((k.value for k in node.keywords if k.arg == "text"), None)
            named = text if isinstance(text, ast.Constant) else code  # text= wins over a code
            if (
                not isinstance(named, ast.Constant)
                or name not in ERROR_CLASSES | ACCOUNT_CLASSES | CLI_CALLS
            ):
                continue
            prefix = {"helptext": "cli.help", "CliError": "cli", "say": "cli"}.get(name, "error")
            prefix = "account" if name in ACCOUNT_CLASSES else prefix
            key = f"{prefix}.{named.value}"
            params = frozenset(str(k.arg) for k in node.keywords if k.arg not in ("text", "to"))
            found.setdefault(key, set()).add(params)
    return found


def test_every_refusal_the_code_can_raise_is_in_the_catalogue() -> None:
    raised = _raised()
    assert len(raised) > 100
    assert not [key for key in raised if not catalogue.has(key)]


def test_every_raise_passes_exactly_the_parameters_its_message_names() -> None:
    wrong = {
        key: (sorted(_fields(catalogue.messages("id")[key])), [sorted(p) for p in passed])
        for key, passes in _raised().items()
        for passed in [passes]
        if any(set(p) != _fields(catalogue.messages("id")[key]) for p in passes)
    }
    assert not wrong


def test_every_command_says_what_it_does_in_both_languages() -> None:
    for command in COMMANDS:
        for lang in catalogue.LANGUAGES:
            assert catalogue.text(lang, f"doing.{command.RULE.doing}")


def test_a_refusal_is_worded_with_its_parameters_and_translated_parts() -> None:
    error = DomainError(
        "action-completed",
        text="action-status",
        doing=Text("doing.cancel-action"),
        status=Text("status.completed"),
    )
    assert catalogue.refusal(error, "id") == (
        "Tidak dapat membatalkan aksi; status aksi saat ini: Selesai (belum diverifikasi)."
    )
    assert catalogue.refusal(error, "en") == (
        "Cannot cancel an action: the action's status is Completed (not verified)."
    )
    assert (
        str(error) == "action-completed (doing=Text(key='doing.cancel-action'), "
        "status=Text(key='status.completed'))"
    )


def test_numbers_and_dates_follow_the_language() -> None:
    assert catalogue.number(1234.5, "id") == "1.234,5"
    assert catalogue.number(1234.5, "en") == "1,234.5"
    assert catalogue.number(20.0, "id") == "20"  # one decimal at most, none when whole
    assert catalogue.day(date(2025, 8, 17), "id") == "17 Agu 2025"
    assert catalogue.day(date(2025, 12, 1), "en") == "1 Dec 2025"


def test_an_unknown_key_is_an_error_not_an_empty_text() -> None:
    with pytest.raises(KeyError):
        catalogue.text("id", "no.such.key")


def test_the_domain_holds_no_user_facing_sentences() -> None:
    """Refusals carry a code and parameters; the words are the catalogue's."""
    for path in ROOT.glob("domain/*.py"):
        source = path.read_text()
        assert not re.search(r"raise \w+\(\s*\"[a-z-]+\",\s*f?\"[A-Z]", source), path.name
