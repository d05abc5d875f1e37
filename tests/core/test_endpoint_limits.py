"""The endpoint list's syntax, the AIMD limit, and the server engine's name mapping."""

from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest
from PIL import Image

from oilspill_desktop.core.engines.endpoints.gate import AdaptiveGate
from oilspill_desktop.core.engines.endpoints.limiter import CLEAN_ROUNDS, AimdLimit
from oilspill_desktop.core.engines.endpoints.spec import parse_endpoint, parse_endpoints
from oilspill_desktop.core.engines.http_engine import EndpointError
from oilspill_desktop.core.engines.server.packing import answer_key, pack, read_answers
from oilspill_desktop.core.engines.upload import Upload
from oilspill_desktop.core.errors import EngineError
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import EngineAnswer


def test_endpoint_lines_with_kind_and_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPU2_TOKEN", "secret-2")
    specs = parse_endpoints(
        "# the office's boxes\n"
        "http://gpu1:8002/segment kind=oilspill-ai token=secret-1\n"
        "\n"
        "http://gpu2:8002/segment,token-env=GPU2_TOKEN\n"
    )
    assert [(s.url, s.kind, s.token) for s in specs] == [
        ("http://gpu1:8002/segment", "oilspill-ai", "secret-1"),
        ("http://gpu2:8002/segment", None, "secret-2"),
    ]
    assert "secret" not in repr(specs)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("http://a/s kind=yolo", "kind=yolo is not one of auto"),
        ("http://a/s fast", "'fast' after http://a/s is not kind="),
        ("http://a/s colour=red", "'colour=red' after http://a/s"),
        ("kind=generic", "does not start with the endpoint's URL"),
        ("http://a/s token-env=NO_SUCH_VARIABLE_13", "NO_SUCH_VARIABLE_13"),
    ],
)
def test_bad_endpoint_lines_say_what_is_wrong(line: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_endpoint(line)


def round_at(limit: AimdLimit, latency: float, *, busy: bool = True) -> None:
    """One round: as many answers as the limit, to requests sent under it."""
    epoch = limit.sent()
    for _ in range(limit.limit):
        limit.answered(latency, in_flight=limit.limit if busy else 1, epoch=epoch)


def test_the_limit_doubles_then_settles_where_littles_law_puts_it() -> None:
    limit = AimdLimit(initial=2, most=64)
    round_at(limit, 0.25)
    round_at(limit, 0.25)
    assert limit.limit == 8  # slow start: doubled after each round at the unloaded latency
    round_at(limit, 0.5)  # twice the latency: half the requests were queueing
    assert limit.limit == 4
    for _ in range(CLEAN_ROUNDS - 1):
        round_at(limit, 0.25)
        assert limit.limit == 4  # after slow start, one more only after CLEAN_ROUNDS
    round_at(limit, 0.25)
    assert limit.limit == 5
    round_at(limit, 0.25 * 5 / 4)  # Little's law: the endpoint serves 4 at once
    assert limit.limit == 4


def test_answers_to_requests_sent_before_a_change_do_not_count() -> None:
    limit = AimdLimit(initial=4, most=64)
    old = limit.sent()
    round_at(limit, 0.1)
    assert limit.limit == 8
    for _ in range(8):
        limit.answered(1.0, in_flight=8, epoch=old)  # slow, but sent under the old limit
    assert limit.limit == 8


def test_overload_cuts_a_tenth_once_per_limit() -> None:
    limit = AimdLimit(initial=20, most=64)
    epoch = limit.sent()
    limit.overloaded(epoch)  # a 429 or a 503
    assert limit.limit == 18
    limit.overloaded(epoch)  # the same burst of refusals: already accounted for
    assert limit.limit == 18
    for _ in range(40):
        limit.overloaded(limit.sent())
    assert limit.limit == 1


def test_an_unused_limit_does_not_grow_and_stays_within_the_cap() -> None:
    limit = AimdLimit(initial=4, most=6)
    for _ in range(5):
        round_at(limit, 0.1, busy=False)
    assert limit.limit == 4  # one request out of four: more room proves nothing
    round_at(limit, 0.1)
    assert limit.limit == 6


def test_a_fixed_limit_never_moves() -> None:
    limit = AimdLimit(fixed=8)
    round_at(limit, 5.0)
    limit.overloaded(limit.sent())
    assert limit.limit == 8


def test_server_names_map_back_to_their_own_upload() -> None:
    assert answer_key("/app/uploads/img-0123456789ab_fedcba9876543210.jpg", "fedcba9876543210") == (
        "img-0123456789ab"
    )
    assert answer_key("result_img-0123456789ab.jpg", "ffff") == "img-0123456789ab"
    assert answer_key("img_x-0123456789ab.JPG", "") == "img_x-0123456789ab"


def test_a_packed_part_holds_each_upload_under_its_own_flat_name() -> None:
    uploads = [Upload(f"img-{i:012x}.jpg", bytes([i]) * 10, "image/jpeg") for i in range(3)]
    with zipfile.ZipFile(io.BytesIO(pack(uploads))) as archive:
        assert archive.namelist() == [u.filename for u in uploads]
        assert archive.read("img-000000000001.jpg") == b"\x01" * 10


def test_answers_are_read_by_key_and_a_download_that_is_no_zip_fails_the_part() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a-000000000001.jpg", b"one")
        archive.writestr("stranger.jpg", b"not ours")
        archive.writestr("folder/", b"")
    found = read_answers(buffer.getvalue(), "hash", {"a-000000000001", "b-000000000002"})
    assert found == {"a-000000000001": b"one"}
    with pytest.raises(EngineError, match="the download is not a zip"):
        read_answers(b"<html>proxy error</html>", "hash", {"a"})


class FakeHttp:
    """Stands in for the HTTP engine behind the gate: answers after ``attempts`` tries,
    or raises ``error``; counts how many calls are inside it at once."""

    engine = "http"
    endpoint = "http://127.0.0.1:9/segment"

    def __init__(self, attempts: int = 1, error: Exception | None = None) -> None:
        self.attempts, self.error = attempts, error
        self.inside = self.most_inside = 0
        self.lock = threading.Lock()
        self.closed = False

    def segment(self, image: object, cancel: CancelToken) -> EngineAnswer:
        with self.lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        time.sleep(0.02)
        with self.lock:
            self.inside -= 1
        if self.error is not None:
            raise self.error
        return EngineAnswer(Image.new("L", (2, 2)), attempts=self.attempts)

    def close(self) -> None:
        self.closed = True


def test_the_gate_lets_no_more_than_the_limit_in_and_speaks_for_its_engine() -> None:
    inner = FakeHttp()
    gate = AdaptiveGate(inner, most=2)  # type: ignore[arg-type]
    assert gate.endpoint == inner.endpoint and gate.engine == "http"
    threads = [threading.Thread(target=gate.segment, args=(None, CancelToken())) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inner.most_inside == 2  # six workers, never more than the cap inside
    gate.close()
    assert inner.closed


def test_answers_after_retries_and_endpoint_errors_lower_the_gate_limit() -> None:
    retried = AdaptiveGate(FakeHttp(attempts=3), most=8)  # type: ignore[arg-type]
    retried.segment(None, CancelToken())  # type: ignore[arg-type]
    assert retried.limit.limit == 1
    busy = EndpointError("busy", attempts=1, status=503)
    failing = AdaptiveGate(FakeHttp(error=busy), most=8)  # type: ignore[arg-type]
    with pytest.raises(EndpointError):
        failing.segment(None, CancelToken())  # type: ignore[arg-type]
    assert failing.limit.limit == 1
    refused = EndpointError("no", attempts=1, status=404)  # the image's fault, not load
    calm = AdaptiveGate(FakeHttp(error=refused), most=8)  # type: ignore[arg-type]
    with pytest.raises(EndpointError):
        calm.segment(None, CancelToken())  # type: ignore[arg-type]
    assert calm.limit.limit == 2
