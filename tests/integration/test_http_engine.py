"""The HTTP engine against a real, misbehaving server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop import __version__
from oilspill_desktop.core.engines.http_engine import (
    EndpointError,
    HttpEngine,
    check_endpoint,
    parse_retry_after,
)
from oilspill_desktop.core.errors import Cancelled, EngineError
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import SourceImage
from tests.endpoint_server import FakeEndpoint

pytestmark = pytest.mark.integration

W, H = 64, 48
TOKEN = "s3cret-T0ken-value"


class RecordingToken(CancelToken):
    """Records back-off sleeps instead of waiting them out, to keep tests fast."""

    def __init__(self) -> None:
        super().__init__()
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(0)


def _scene() -> np.ndarray:
    values = np.full((H, W), 140, dtype=np.uint8)
    values[10:20, 8:40] = 20
    return values


def _encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _jpeg_source(path: str = "batch/scenes/scene one.jpg") -> SourceImage:
    pixels = Image.fromarray(_scene(), "L")
    return SourceImage(
        path=path,
        pixels=pixels,
        original=_encoded(pixels, "JPEG"),
        original_format="JPEG",
        content_type="image/jpeg",
        sendable_original=True,
    )


def _tiff16_source() -> SourceImage:
    raw = Image.fromarray(_scene().astype(np.uint16) * 200)
    return SourceImage(
        path="deep/scan.tif",
        pixels=Image.fromarray(_scene(), "L"),
        original=_encoded(raw, "TIFF"),
        original_format="TIFF",
        content_type="image/tiff",
        sendable_original=False,
    )


def _bmp_source() -> SourceImage:
    pixels = Image.fromarray(np.stack([_scene()] * 3, axis=-1), "RGB")
    return SourceImage(
        path="old\\photo.BMP",
        pixels=pixels,
        original=_encoded(pixels, "BMP"),
        original_format="BMP",
        content_type="image/bmp",
        sendable_original=False,
    )


def _engine(url: str, **kwargs: object) -> HttpEngine:
    options: dict[str, object] = {
        "connect_timeout": 2.0,
        "read_timeout": 5.0,
        "retries": 3,
        "backoff_base": 0.01,
        "backoff_cap": 0.05,
    }
    options.update(kwargs)
    return HttpEngine(url, **options)  # type: ignore[arg-type]


def _fail(engine: HttpEngine, source: SourceImage | None = None) -> EndpointError:
    try:
        with pytest.raises(EndpointError) as caught:
            engine.segment(source or _jpeg_source(), RecordingToken())
    finally:
        engine.close()
    assert isinstance(caught.value, EngineError)
    return caught.value


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- success ---------------------------------------------------------------------------


def test_sends_original_jpeg_in_field_file_with_bearer_token() -> None:
    source = _jpeg_source()
    with FakeEndpoint("ok") as ep:
        engine = _engine(ep.url, token=TOKEN)
        try:
            answer = engine.segment(source, CancelToken())
        finally:
            engine.close()
        (request,) = ep.received
    assert answer.attempts == 1
    assert answer.image.size == (W, H)
    mask = np.asarray(answer.image.convert("L"))
    assert bool((mask[10:20, 8:40] == 255).all())
    assert int(mask.sum()) == 255 * 10 * 32
    assert request.method == "POST"
    assert request.path == "/segment"
    assert request.field_name == "file"
    assert re.fullmatch(r"scene_one-[0-9a-f]{12}\.jpg", request.filename or "")
    assert request.content_type == "image/jpeg"
    assert request.content == source.original
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["user-agent"] == f"oilspill-desktop/{__version__}"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")


def test_no_token_means_no_authorization_header() -> None:
    with FakeEndpoint("ok") as ep:
        engine = _engine(ep.url)
        try:
            engine.segment(_jpeg_source(), CancelToken())
        finally:
            engine.close()
        assert "authorization" not in ep.received[0].headers
    assert engine.engine == "http"
    assert engine.endpoint == ep.url


@pytest.mark.parametrize(
    ("make_source", "png_name"), [(_tiff16_source, "scan"), (_bmp_source, "photo")]
)
def test_compatible_mode_sends_unusual_formats_as_png(make_source, png_name: str) -> None:  # type: ignore[no-untyped-def]
    source = make_source()
    with FakeEndpoint("ok") as ep:
        engine = _engine(ep.url)
        try:
            answer = engine.segment(source, CancelToken())
        finally:
            engine.close()
        (request,) = ep.received
    assert answer.image.size == (W, H)
    assert re.fullmatch(rf"{png_name}-[0-9a-f]{{12}}\.png", request.filename or "")
    assert request.content_type == "image/png"
    sent = Image.open(io.BytesIO(request.content))
    assert sent.format == "PNG"
    assert sent.mode in ("L", "RGB")
    np.testing.assert_array_equal(np.asarray(sent), np.asarray(source.pixels))


def test_original_mode_sends_the_member_untouched() -> None:
    source = _tiff16_source()
    with FakeEndpoint("ok") as ep:
        engine = _engine(ep.url, send_mode="original")
        try:
            engine.segment(source, CancelToken())
        finally:
            engine.close()
        (request,) = ep.received
    assert re.fullmatch(r"scan-[0-9a-f]{12}\.tif", request.filename or "")
    assert request.content_type == "image/tiff"
    assert request.content == source.original


@pytest.mark.parametrize(
    ("behaviour", "mode", "size"),
    [("wrong_size", "L", (W // 2, H // 2)), ("classes", "RGB", (W, H)), ("overlay", "RGB", (W, H))],
)
def test_other_answer_pictures_are_returned_as_they_are(
    behaviour: str, mode: str, size: tuple[int, int]
) -> None:
    with FakeEndpoint(behaviour) as ep:
        engine = _engine(ep.url)
        try:
            answer = engine.segment(_jpeg_source(), CancelToken())
        finally:
            engine.close()
    assert answer.image.mode == mode
    assert answer.image.size == size


def test_table_endpoint_answers_known_uploads_from_its_table_and_others_blank() -> None:
    """The benchmarks' endpoint: real masks for known scenes at next to no server CPU."""
    known = _jpeg_source()
    mask = Image.fromarray((_scene() < 100).astype(np.uint8) * 255, "L")
    table = {hashlib.sha1(known.original).digest(): _encoded(mask, "PNG")}
    other = _jpeg_source("b.jpg")
    other.original = _encoded(Image.fromarray(_scene() // 2, "L"), "JPEG")
    with FakeEndpoint("table", table=table) as ep:
        engine = _engine(ep.url)
        try:
            found = engine.segment(known, CancelToken())
            blank = engine.segment(other, CancelToken())
        finally:
            engine.close()
    assert np.array_equal(np.asarray(found.image), np.asarray(mask))
    assert blank.image.size == (W, H) and not np.asarray(blank.image).any()


# -- retries ---------------------------------------------------------------------------


def test_transient_503_is_retried_until_success() -> None:
    token = RecordingToken()
    with FakeEndpoint("fail_first_n", fail_first_n=2, fail_status=503) as ep:
        engine = _engine(ep.url, retries=3, backoff_base=0.02, backoff_cap=0.03)
        try:
            answer = engine.segment(_jpeg_source(), token)
        finally:
            engine.close()
        assert ep.requests == 3
    assert answer.attempts == 3
    assert answer.image.size == (W, H)
    assert len(token.sleeps) == 2
    # Full jitter: anywhere from zero up to base * 2^n, capped.
    assert 0.0 <= token.sleeps[0] <= 0.02
    assert 0.0 <= token.sleeps[1] <= 0.03


def test_persistent_500_gives_up_and_says_what_came_back() -> None:
    with FakeEndpoint("fail_first_n", fail_first_n=100, fail_status=500) as ep:
        error = _fail(_engine(ep.url, retries=2))
        assert ep.requests == 3
    assert error.attempts == 3
    message = str(error)
    assert "500 Internal Server Error" in message
    assert "application/json" in message
    assert '{"error": "Warming up (request 3)."}' in message
    assert "after 3 attempts" in message
    assert message.endswith(".")
    # The facts behind the sentence, for callers that word it themselves.
    assert (error.verdict, error.status, error.reason) == (
        "http error",
        500,
        "Internal Server Error",
    )
    assert error.content_type.startswith("application/json")
    assert error.body == '{"error": "Warming up (request 3)."}'


@pytest.mark.parametrize(("code", "reason"), [(404, "Not Found"), (400, "Bad Request")])
def test_other_4xx_is_not_retried(code: int, reason: str) -> None:
    with FakeEndpoint("status", status=code) as ep:
        error = _fail(_engine(ep.url, retries=3))
        assert ep.requests == 1
    assert error.attempts == 1
    assert f"{code} {reason}" in str(error)
    assert f"Status {code} on purpose." in str(error)
    assert "attempts" not in str(error)
    assert error.verdict == ("not found" if code == 404 else "http error")
    assert error.status == code


def test_429_honours_retry_after_seconds() -> None:
    token = RecordingToken()
    with FakeEndpoint("rate_limit", rate_limit_n=2, retry_after="1") as ep:
        engine = _engine(ep.url, retries=3)
        try:
            answer = engine.segment(_jpeg_source(), token)
        finally:
            engine.close()
        assert ep.requests == 3
    assert answer.attempts == 3
    assert token.sleeps == pytest.approx([1.0, 1.0], abs=0.1)


def test_429_retry_after_is_capped_and_may_be_a_date() -> None:
    token = RecordingToken()
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    with FakeEndpoint("rate_limit", rate_limit_n=1, retry_after=later) as ep:
        engine = _engine(ep.url, retry_after_cap=2.5)
        try:
            engine.segment(_jpeg_source(), token)
        finally:
            engine.close()
    assert token.sleeps == pytest.approx([2.5], abs=0.1)


def test_429_without_retry_after_backs_off_and_reports_the_status() -> None:
    with FakeEndpoint("rate_limit", rate_limit_n=100, retry_after=None) as ep:
        error = _fail(_engine(ep.url, retries=1))
        assert ep.requests == 2
    assert "429 Too Many Requests" in str(error)
    assert "after 2 attempts" in str(error)


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("-3", now) == 0.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("nan", now) is None
    assert parse_retry_after(None, now) is None


def test_cancel_during_back_off_is_prompt() -> None:
    cancel = CancelToken()
    outcome: list[BaseException | None] = []
    with FakeEndpoint("rate_limit", rate_limit_n=100, retry_after="60") as ep:
        engine = _engine(ep.url, retries=5, retry_after_cap=60)

        def run() -> None:
            try:
                engine.segment(_jpeg_source(), cancel)
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        for _ in range(500):
            if ep.requests >= 1:
                break
            threading.Event().wait(0.01)
        cancel.cancel()
        worker.join(timeout=10)
        engine.close()
        assert not worker.is_alive()
        assert ep.requests == 1
    assert len(outcome) == 1
    assert isinstance(outcome[0], Cancelled)


def test_cancelled_before_start_sends_nothing() -> None:
    cancel = CancelToken()
    cancel.cancel()
    with FakeEndpoint("ok") as ep:
        engine = _engine(ep.url)
        with pytest.raises(Cancelled):
            engine.segment(_jpeg_source(), cancel)
        engine.close()
        assert ep.requests == 0


# -- answers that are not a picture ----------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [("application/json", '"status": "ok"'), ("text/html", "<html><body><h1>Welcome</h1>")],
)
def test_200_that_is_not_an_image(content_type: str, shown: str) -> None:
    with FakeEndpoint("not_image", not_image_type=content_type) as ep:
        error = _fail(_engine(ep.url))
        assert ep.requests == 1
    message = str(error)
    assert "200 OK" in message
    assert content_type in message
    assert "instead of an image" in message
    assert shown in message
    assert (error.verdict, error.status) == ("not an image", 200)
    assert error.content_type.startswith(content_type)
    assert shown in error.body


def test_png_with_the_wrong_content_type_is_refused() -> None:
    with FakeEndpoint("wrong_content_type") as ep:
        error = _fail(_engine(ep.url))
    assert "text/plain instead of an image" in str(error)
    assert "PNG picture" in str(error)
    assert error.attempts == 1


def test_truncated_picture_is_refused() -> None:
    with FakeEndpoint("truncated") as ep:
        error = _fail(_engine(ep.url))
        assert ep.requests == 1
    message = str(error)
    assert "200 OK with image/png" in message
    assert "could not be decoded" in message
    assert error.verdict == "unreadable image"


def test_dropped_connection_is_retried_then_reported() -> None:
    with FakeEndpoint("drop") as ep:
        error = _fail(_engine(ep.url, retries=2))
        assert ep.requests == 3
    assert error.attempts == 3
    assert "the connection was dropped mid-answer" in str(error)
    assert "after 3 attempts" in str(error)


def test_a_drop_that_heals_is_survived() -> None:
    with FakeEndpoint("drop") as ep:
        engine = _engine(ep.url, retries=2)
        try:
            # The first attempt is dropped; switch to a healthy answer for the retry.
            token = RecordingToken()
            original_sleep = token.sleep

            def heal_then_sleep(seconds: float) -> None:
                ep.configure("ok")
                original_sleep(seconds)

            token.sleep = heal_then_sleep  # type: ignore[method-assign]
            answer = engine.segment(_jpeg_source(), token)
        finally:
            engine.close()
    assert answer.attempts == 2


def test_hanging_endpoint_times_out() -> None:
    with FakeEndpoint("hang", hang_max=20) as ep:
        error = _fail(_engine(ep.url, read_timeout=0.3, retries=1))
        assert ep.requests == 2
        ep.release()
    assert error.attempts == 2
    assert "timed out after 0.3 s waiting for an answer" in str(error)
    assert error.verdict == "read timeout"


def test_refused_port_is_reported_clearly() -> None:
    url = f"http://127.0.0.1:{_free_port()}/segment"
    error = _fail(_engine(url, retries=3))
    assert error.attempts == 4
    assert f"connection refused to {url}" in str(error)
    assert "after 4 attempts" in str(error)
    assert error.verdict == "refused" and error.status is None
    assert error.detail == f"connection refused to {url}"


def test_invalid_endpoint_fails_without_a_request() -> None:
    assert check_endpoint("ftp://127.0.0.1/segment") is not None
    assert check_endpoint("http://127.0.0.1:8002/segment") is None
    error = _fail(_engine("not a url"))
    assert error.attempts == 0
    assert "not a url" in str(error)
    assert error.verdict == "bad url"


def test_missing_ca_bundle_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    error = _fail(_engine("https://127.0.0.1:1/segment", verify=str(missing)))
    assert error.attempts == 0
    assert "CA bundle" in str(error)
    assert str(missing) in str(error)
    assert error.verdict == "bad settings"


# -- secrets ---------------------------------------------------------------------------


def test_token_never_appears_in_messages_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeEndpoint("status", status=401, echo_headers=True) as ep:
        error = _fail(_engine(ep.url + "?api_key=" + TOKEN, token=TOKEN))
    assert "401 Unauthorized" in str(error)
    assert "Bearer" in str(error)  # the echoed header is there, its value is not
    assert TOKEN not in str(error)
    assert error.verdict == "unauthorized"
    assert "Bearer" in error.body and TOKEN not in error.body and TOKEN not in error.detail
    with FakeEndpoint("fail_first_n", fail_first_n=100, echo_headers=True) as ep:
        error = _fail(_engine(ep.url, token=TOKEN, retries=2))
    assert TOKEN not in str(error)
    assert any("retrying" in record.getMessage() for record in caplog.records)
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
    assert TOKEN not in repr(error.args)


# -- TLS -------------------------------------------------------------------------------


def test_untrusted_certificate_is_reported_without_retrying(
    certificate: tuple[str, str],
) -> None:
    with FakeEndpoint("ok", tls=certificate) as ep:
        assert ep.url.startswith("https://127.0.0.1:")
        error = _fail(_engine(ep.url, retries=3))
    assert error.attempts == 1
    assert "TLS certificate verification failed" in str(error)
    assert error.verdict == "tls"


def test_ca_bundle_and_verify_off_both_work(certificate: tuple[str, str]) -> None:
    with FakeEndpoint("ok", tls=certificate) as ep:
        for verify in (certificate[0], False):
            engine = _engine(ep.url, verify=verify)
            try:
                answer = engine.segment(_jpeg_source(), CancelToken())
            finally:
                engine.close()
            assert answer.image.size == (W, H)


# -- threads ---------------------------------------------------------------------------


def test_one_engine_serves_eight_threads() -> None:
    results: list[tuple[int, int] | BaseException] = []
    lock = threading.Lock()
    with FakeEndpoint("latency,random_fail", latency=0.05, random_fail_p=0.2, seed=3) as ep:
        engine = _engine(ep.url, retries=6, max_connections=8)

        def work() -> None:
            for _ in range(4):
                try:
                    answer = engine.segment(_jpeg_source(), CancelToken())
                    outcome: tuple[int, int] | BaseException = answer.image.size
                except BaseException as exc:
                    outcome = exc
                with lock:
                    results.append(outcome)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        engine.close()
        assert ep.requests >= 32
        assert ep.max_concurrent > 1
        assert ep.errors == []
    assert results == [(W, H)] * 32


def test_capacity_limits_how_many_requests_are_processed_at_once() -> None:
    failures: list[BaseException] = []
    with FakeEndpoint("capacity,latency", capacity=2, latency=0.05) as ep:
        engine = _engine(ep.url, max_connections=6)

        def work() -> None:
            try:
                engine.segment(_jpeg_source(), CancelToken())
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        engine.close()
        assert ep.requests == 6
        assert 1 <= ep.max_concurrent <= 2
    assert failures == []


def test_endpoint_answers_read_as_their_kind() -> None:
    """The fake's pictures mean what they claim once interpreted."""
    from oilspill_desktop.core.engines.answers import interpret_answer

    source = _jpeg_source()
    kinds = {}
    with FakeEndpoint("ok") as ep:
        engine = _engine(ep.url)
        try:
            for behaviour in ("ok", "wrong_size", "classes", "overlay"):
                ep.configure(behaviour)
                answer = engine.segment(source, CancelToken())
                kinds[behaviour] = interpret_answer(answer.image, W, H)
        finally:
            engine.close()
    assert kinds["ok"].kind == "mask"
    assert kinds["wrong_size"].kind == "mask"
    assert kinds["wrong_size"].warnings
    assert kinds["classes"].kind == "classes"
    assert kinds["overlay"].kind == "overlay"
    truth = kinds["ok"].oil
    assert truth is not None
    assert int(truth.sum()) == 10 * 32
    classes_oil = kinds["classes"].oil
    assert classes_oil is not None
    np.testing.assert_array_equal(classes_oil, truth)


def test_503_with_retry_after_is_waited_out_as_busy_not_as_an_outage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A service that says "busy, come back in 1 s" is waited for, then answers; the
    breaker (on here) never takes it for an outage, and the log says so once."""
    caplog.set_level(logging.WARNING, logger="oilspill_desktop.core.engines.http_engine")
    with FakeEndpoint("rate_limit", rate_limit_n=1, retry_after="1", rate_limit_status=503) as ep:
        engine = _engine(ep.url, retries=3, max_outage=60.0)
        started = time.monotonic()
        try:
            answer = engine.segment(_jpeg_source(), CancelToken())
            waited = time.monotonic() - started
            assert engine.outage() is None
        finally:
            engine.close()
        assert ep.requests == 2
    assert answer.attempts == 2 and waited >= 0.9
    busy = [r.getMessage() for r in caplog.records if "is busy" in r.getMessage()]
    assert len(busy) == 1 and "503 Service Unavailable" in busy[0]


def test_a_busy_spell_is_logged_once_and_every_request_waits_it_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """On a clock that stands still every 503 falls in the same busy spell: one log line,
    and each retry waits the whole Retry-After (recorded, not slept)."""
    caplog.set_level(logging.WARNING, logger="oilspill_desktop.core.engines.http_engine")
    token = RecordingToken()
    with FakeEndpoint("rate_limit", rate_limit_n=3, retry_after="7", rate_limit_status=503) as ep:
        engine = _engine(ep.url, retries=3, max_outage=60.0, clock=lambda: 1000.0)
        try:
            answer = engine.segment(_jpeg_source(), token)
            assert engine.outage() is None  # three 503s, yet not an outage: it said busy
            assert engine.busy_for() == 7.0
        finally:
            engine.close()
    assert answer.attempts == 4
    assert token.sleeps == [7.0, 7.0, 7.0]
    assert sum("is busy" in r.getMessage() for r in caplog.records) == 1


def test_the_wait_for_a_busy_endpoint_is_capped() -> None:
    token = RecordingToken()
    with FakeEndpoint(
        "rate_limit", rate_limit_n=1, retry_after="3600", rate_limit_status=503
    ) as ep:
        engine = _engine(ep.url, clock=lambda: 5.0)
        try:
            engine.segment(_jpeg_source(), token)
        finally:
            engine.close()
    assert token.sleeps == [60.0]  # the default cap
