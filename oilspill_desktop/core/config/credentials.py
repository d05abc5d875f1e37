"""Where the API token lives: the system keyring when there is one, else a private file.

A token in a plain settings file is one careless backup or screen share away from a
leak, so it goes into the operating system's keyring (Keychain, Credential Manager,
Secret Service) whenever a real one is reachable. Headless Linux boxes and locked-down
laptops often have none, or one that fails at the moment of use; the token then stays in
the settings file, readable by the user alone (mode 0600), and the app carries on: a
keyring problem is logged, never raised.

Which copy wins: a successful keyring store blanks the file's copy, so a non-empty token
in the file is always the newest one written (a fallback, a hand edit, an older
version) and is read first; the keyring is read when the file holds none.

The token never appears in a log line: exception texts from keyring backends are scrubbed
of it before they are logged.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any, Literal

from .settings import LoadedSettings, Settings, load_settings, save_settings

log = logging.getLogger(__name__)

SERVICE = "oilspill-desktop"
ACCOUNT = "api-token"
MIN_KEYRING_PRIORITY = 1.0
"""keyring's own rule: below one a backend is a stand-in (plain-text files, "fail", "null"),
not a real store of secrets."""

TokenStore = Literal["keyring", "file"]


def usable_keyring() -> Any | None:
    """The system keyring backend when a real one is available, else ``None``.

    ``keyring`` picks a "fail" backend when it finds nothing, a "null" one when disabled,
    and a chainer that may chain nothing; none of them keeps a secret, so none counts.
    """
    try:
        import keyring
        from keyring.backends import chainer, fail, null
    except Exception as exc:  # not installed, or a broken backend plugin
        log.info("No system keyring (%s); the API token is kept in the settings file.", exc)
        return None
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):
            return None
        if isinstance(backend, chainer.ChainerBackend) and not list(backend.backends):
            return None
        priority = float(backend.priority)
    except Exception as exc:
        log.warning("The system keyring could not be opened (%s).", _describe(exc))
        return None
    return backend if priority >= MIN_KEYRING_PRIORITY else None


def token_store() -> TokenStore:
    """Where a token stored now would go (for the settings dialog to say so)."""
    return "keyring" if usable_keyring() is not None else "file"


def store_token(token: str, settings_path: Path) -> TokenStore:
    """Keep ``token`` in the keyring if possible, else in the private settings file.

    Returns where it went. An empty token forgets the stored one everywhere. Raises
    :class:`~.errors.OutputError` only when the fallback settings file cannot be written.
    """
    token = token.strip()
    if not token:
        delete_token(settings_path)
        return token_store()
    if _put_in_keyring(token):
        _set_file_token(settings_path, "")  # no plain copy left behind
        return "keyring"
    _set_file_token(settings_path, token)
    return "file"


def load_token(settings_path: Path) -> str:
    """The stored token, or ``""``: the settings file's copy first, then the keyring's."""
    in_file = _file_token(settings_path)
    if in_file:
        return in_file
    return _get_from_keyring() or ""


def delete_token(settings_path: Path | None = None) -> None:
    """Forget the token in the keyring and, given its path, in the settings file."""
    backend = usable_keyring()
    if backend is not None:
        try:
            if backend.get_password(SERVICE, ACCOUNT) is not None:
                backend.delete_password(SERVICE, ACCOUNT)
        except Exception as exc:
            log.warning("The API token could not be removed from the keyring (%s).", _describe(exc))
    if settings_path is not None and _file_token(settings_path):
        _set_file_token(settings_path, "")


def save_settings_with_token(settings: Settings, path: Path) -> TokenStore:
    """Save ``settings``, keeping its ``api_token`` in the keyring when one is usable.

    The file gets everything else, and the token only when the keyring cannot take it.
    """
    token = settings.api_token.strip()
    if token:
        in_keyring = _put_in_keyring(token)
    else:
        delete_token()
        in_keyring = False
    save_settings(settings.with_changes(api_token="" if in_keyring else token), path)
    if in_keyring:
        return "keyring"
    return "file" if token else token_store()


def load_settings_with_token(path: Path, *, migrate: bool = True) -> LoadedSettings:
    """Load settings with ``api_token`` filled in from wherever it is kept.

    With ``migrate``, a token found in the file is moved into the keyring once one is
    usable (a keyring installed since, or one that was locked last time).
    """
    loaded = load_settings(path)
    token = loaded.settings.api_token.strip()
    if token:
        if migrate and _put_in_keyring(token):
            try:
                _set_file_token(path, "")
            except Exception as exc:  # the token is in both places: harmless, retried next time
                log.warning("The settings file still holds the API token (%s).", _describe(exc))
            else:
                log.info("The API token was moved from the settings file into the keyring.")
        return LoadedSettings(loaded.settings.with_changes(api_token=token), loaded.problem)
    from_keyring = _get_from_keyring()
    if from_keyring:
        return LoadedSettings(loaded.settings.with_changes(api_token=from_keyring), loaded.problem)
    return loaded


# -- keyring, never raising ------------------------------------------------------------


def _put_in_keyring(token: str) -> bool:
    """Store and read back; False (with a warning) on any failure or silent refusal."""
    backend = usable_keyring()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, ACCOUNT, token)
        kept = bool(backend.get_password(SERVICE, ACCOUNT) == token)
    except Exception as exc:
        log.warning(
            "The system keyring could not store the API token (%s); it is kept in the "
            "settings file instead, readable by you alone.",
            _describe(exc, token),
        )
        return False
    if not kept:
        log.warning(
            "The system keyring did not keep the API token; it is kept in the settings file "
            "instead, readable by you alone."
        )
    return kept


def _get_from_keyring() -> str | None:
    backend = usable_keyring()
    if backend is None:
        return None
    try:
        value = backend.get_password(SERVICE, ACCOUNT)
    except Exception as exc:
        log.warning("The API token could not be read from the keyring (%s).", _describe(exc))
        return None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _describe(exc: BaseException, token: str = "") -> str:
    """``Type: message`` of a keyring failure, with the token cut out if it was echoed."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text.replace(token, "***") if token else text


# -- the settings file -----------------------------------------------------------------


def _file_token(path: Path) -> str:
    """The token in the settings file, read without side effects (a corrupt file is left)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = data.get("api_token") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _set_file_token(path: Path, token: str) -> None:
    """Rewrite the settings file with ``token``, unless it already holds exactly that."""
    current = _file_token(path)
    if current == token:
        if token:  # a hand-made file may be readable by others: close it all the same
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)
        return
    loaded = load_settings(path)
    save_settings(loaded.settings.with_changes(api_token=token), path)
