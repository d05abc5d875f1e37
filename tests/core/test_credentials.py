"""The API token goes to the keyring when a real one exists, else to a private file.

The keyring is replaced by small in-memory backends (the real one on a developer's desktop
must never be touched by tests), and every test checks that the token reached no log.
"""

from __future__ import annotations

import json
import logging
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from oilspill_desktop.core.config import credentials
from oilspill_desktop.core.config.credentials import (
    ACCOUNT,
    SERVICE,
    delete_token,
    load_settings_with_token,
    load_token,
    save_settings_with_token,
    store_token,
    token_store,
    usable_keyring,
)
from oilspill_desktop.core.config.settings import Settings, load_settings, save_settings

TOKEN = "tok-9f8e7d6c5b4a-SECRET"


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in a dict, like a desktop's Secret Service would."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError("no such password")
        del self.store[(service, username)]


class LockedKeyring(MemoryKeyring):
    """A Secret Service whose collection stays locked; its error echoes the secret."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked(f"Failed to unlock the collection while storing {password!r}")

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


class ForgetfulKeyring(MemoryKeyring):
    """Accepts every secret and keeps none (a chainer whose backends all decline does)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        return None


class PlaintextKeyring(MemoryKeyring):
    """Like keyrings.alt's plain-text file: below priority 1, not a real secret store."""

    priority = 0.5  # type: ignore[assignment]


class EmptyChainer(chainer.ChainerBackend):
    """The chainer keyring picks when it found no backend to chain."""

    backends: list[KeyringBackend] = []  # type: ignore[assignment]  # noqa: RUF012


# keyring registers every backend class it sees and would offer these fakes to any later
# keyring.get_keyring() in the session; they are for the tests that install them only.
KeyringBackend._classes -= {  # type: ignore[attr-defined]
    MemoryKeyring,
    LockedKeyring,
    ForgetfulKeyring,
    PlaintextKeyring,
    EmptyChainer,
}


@pytest.fixture(autouse=True)
def no_token_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test: whatever happened, the token is in no log record."""
    caplog.set_level(logging.DEBUG)
    previous = keyring.get_keyring()
    try:
        yield
    finally:
        keyring.set_keyring(previous)
    assert TOKEN not in caplog.text
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(record.args)


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_keyring() -> None:
    keyring.set_keyring(fail.Keyring())


def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def file_data(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- with a keyring ----------------------------------------------------------------------


def test_token_goes_to_the_keyring_and_not_to_the_file(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    path = settings_file(tmp_path)
    save_settings(Settings(workers=6), path)
    assert store_token(f"  {TOKEN}\n", path) == "keyring"
    assert memory.store == {(SERVICE, ACCOUNT): TOKEN}
    assert TOKEN not in path.read_text(encoding="utf-8")
    assert file_data(path)["workers"] == 6  # the other settings are untouched
    assert load_token(path) == TOKEN
    assert token_store() == "keyring"


def test_a_plain_copy_in_the_file_is_removed_when_the_keyring_takes_the_token(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    path = settings_file(tmp_path)
    save_settings(Settings(api_token="old-token-in-file", workers=3), path)
    assert store_token(TOKEN, path) == "keyring"
    assert file_data(path)["api_token"] == ""
    assert file_data(path)["workers"] == 3
    assert load_token(path) == TOKEN


def test_saving_settings_keeps_the_token_out_of_the_file(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    path = settings_file(tmp_path)
    wanted = Settings(engine="http", api_token=TOKEN, read_timeout=12.0)
    assert save_settings_with_token(wanted, path) == "keyring"
    assert file_data(path)["api_token"] == ""
    assert TOKEN not in path.read_text(encoding="utf-8")
    loaded = load_settings_with_token(path)
    assert loaded.problem is None
    assert loaded.settings == wanted
    assert TOKEN not in repr(loaded)


def test_a_token_left_in_the_file_moves_into_the_keyring_on_load(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    path = settings_file(tmp_path)
    save_settings(Settings(api_token=TOKEN), path)  # written while no keyring was there
    loaded = load_settings_with_token(path)
    assert loaded.settings.api_token == TOKEN
    assert memory.store[(SERVICE, ACCOUNT)] == TOKEN
    assert file_data(path)["api_token"] == ""
    assert load_settings_with_token(path).settings.api_token == TOKEN


def test_the_files_copy_wins_over_a_stale_keyring_entry(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    path = settings_file(tmp_path)
    memory.store[(SERVICE, ACCOUNT)] = "stale-token-from-last-year"
    save_settings(Settings(api_token=TOKEN), path)  # the keyring refused it back then
    assert load_token(path) == TOKEN
    assert load_settings_with_token(path, migrate=False).settings.api_token == TOKEN


def test_delete_forgets_both_copies(memory: MemoryKeyring, tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    store_token(TOKEN, path)
    save_settings(load_settings(path).settings.with_changes(api_token="also-in-file"), path)
    delete_token(path)
    assert memory.store == {}
    assert file_data(path)["api_token"] == ""
    assert load_token(path) == ""
    delete_token(path)  # nothing left to delete is not an error


def test_storing_an_empty_token_forgets_it(memory: MemoryKeyring, tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    store_token(TOKEN, path)
    assert store_token("   ", path) == "keyring"
    assert memory.store == {}
    assert save_settings_with_token(Settings(api_token=""), path) == "keyring"
    assert load_token(path) == ""


# -- without a usable keyring ----------------------------------------------------------


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), EmptyChainer(), PlaintextKeyring()],
    ids=["fail", "null", "empty-chainer", "plaintext"],
)
def test_stand_in_backends_do_not_count_as_a_keyring(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    assert usable_keyring() is None
    assert token_store() == "file"


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_token_is_in_a_file_only_the_user_can_read(
    tmp_path: Path,
) -> None:
    path = settings_file(tmp_path)
    assert store_token(TOKEN, path) == "file"
    assert file_data(path)["api_token"] == TOKEN
    assert mode(path) == 0o600
    assert load_token(path) == TOKEN
    assert save_settings_with_token(Settings(api_token=TOKEN, workers=2), path) == "file"
    assert mode(path) == 0o600
    assert load_settings_with_token(path).settings.api_token == TOKEN
    delete_token(path)
    assert load_token(path) == ""


@pytest.mark.usefixtures("no_keyring")
def test_a_hand_made_settings_file_with_the_token_is_closed_to_others(tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"api_token": TOKEN}), encoding="utf-8")
    path.chmod(0o644)
    assert store_token(TOKEN, path) == "file"
    assert mode(path) == 0o600


def test_the_keyring_package_missing_means_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring now raises
    path = settings_file(tmp_path)
    assert usable_keyring() is None
    assert store_token(TOKEN, path) == "file"
    assert load_token(path) == TOKEN


# -- keyrings that fail at the moment of use ----------------------------------------------


def test_a_locked_keyring_falls_back_to_the_file_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(LockedKeyring())
    path = settings_file(tmp_path)
    assert store_token(TOKEN, path) == "file"
    assert file_data(path)["api_token"] == TOKEN
    assert mode(path) == 0o600
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("could not store the API token" in w and "KeyringLocked" in w for w in warnings)
    assert any("***" in w for w in warnings)  # the echoed secret was cut out
    assert load_token(path) == TOKEN  # reading the broken keyring is never needed here
    loaded = load_settings_with_token(path)  # the migration attempt fails quietly
    assert loaded.settings.api_token == TOKEN
    assert file_data(path)["api_token"] == TOKEN


def test_a_keyring_that_cannot_be_read_does_not_stop_loading(tmp_path: Path) -> None:
    keyring.set_keyring(LockedKeyring())
    path = settings_file(tmp_path)
    save_settings(Settings(workers=5), path)
    assert load_token(path) == ""
    loaded = load_settings_with_token(path)
    assert loaded.settings.workers == 5 and loaded.settings.api_token == ""
    delete_token(path)  # neither raises


def test_a_keyring_that_silently_drops_the_token_is_noticed(tmp_path: Path) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    path = settings_file(tmp_path)
    assert store_token(TOKEN, path) == "file"
    assert load_token(path) == TOKEN


def test_a_keyring_whose_backend_cannot_even_say_its_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> KeyringBackend:
        raise RuntimeError("D-Bus is not running")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    assert usable_keyring() is None
    assert store_token(TOKEN, settings_file(tmp_path)) == "file"


def test_describe_scrubs_the_token() -> None:
    text = credentials._describe(ValueError(f"bad secret {TOKEN}"), TOKEN)
    assert text == "ValueError: bad secret ***"
