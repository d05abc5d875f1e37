"""The settings dialog's connection test over TLS, run as the dialog's worker runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.ui.connection_test import ConnectionProbe, Verdict, describe
from tests.endpoint_server import FakeEndpoint

pytestmark = pytest.mark.integration


def test_an_untrusted_certificate_is_a_tls_verdict_and_a_ca_bundle_fixes_it(
    certificate: tuple[str, str],
) -> None:
    with FakeEndpoint("ok", tls=certificate) as endpoint:
        settings = Settings(engine="http", endpoint=endpoint.url, retries=3)
        refused = ConnectionProbe(settings).run()
        trusted = ConnectionProbe(settings.with_changes(ca_bundle=certificate[0])).run()
        requests = endpoint.requests
    assert refused.verdict is Verdict.TLS
    assert "certificate verification failed" in refused.detail
    assert describe(refused).startswith("The secure (TLS) connection failed")
    assert trusted.verdict is Verdict.OK and trusted.answer == "mask"
    assert requests == 1  # the handshake failed before any request; no retries either


def test_a_missing_ca_bundle_is_a_settings_verdict(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    settings = Settings(
        engine="http", endpoint="https://127.0.0.1:1/segment", ca_bundle=str(missing)
    )
    probe = ConnectionProbe(settings)
    check = probe.run()
    assert check.verdict is Verdict.BAD_SETTINGS
    assert str(missing) in describe(check)
    assert probe.finished.is_set()
