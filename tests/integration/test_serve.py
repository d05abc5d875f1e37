"""``serve``: the built-in engine behind a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import httpx
import numpy as np
import pytest
import uvicorn
from PIL import Image

from oilspill_desktop import __version__
from oilspill_desktop.core.engines.answers import interpret_answer
from oilspill_desktop.core.engines.http_engine import HttpEngine
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import Limits
from oilspill_desktop.server.app import MULTIPART_OVERHEAD, ServeError, _bind, create_app
from oilspill_desktop.tools.synthetic import synthetic_scene

pytestmark = pytest.mark.integration

SIZE_LIMIT = 300 * 1024
LIMITS = Limits(max_pixels=1_000_000, max_member_bytes=SIZE_LIMIT)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    config = uvicorn.Config(
        create_app(limits=LIMITS, workers=2),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    ready = threading.Event()
    for _ in range(1000):
        if server.started or not thread.is_alive():
            break
        ready.wait(0.01)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        yield http


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _error_of(response: httpx.Response, code: int) -> str:
    assert response.status_code == code, response.text
    assert response.headers["content-type"] == "application/json"
    message = response.json()["error"]
    assert isinstance(message, str)
    assert message
    return message


def test_health(client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "engine": "model", "version": __version__}


def test_segment_answers_a_png_mask_of_the_same_size(client: httpx.Client) -> None:
    scene = synthetic_scene(160, 120, seed=7, slicks=2)
    response = client.post(
        "/segment", files={"file": ("scene.png", _png(scene.image), "image/png")}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    mask = Image.open(io.BytesIO(response.content))
    assert mask.format == "PNG"
    assert mask.mode == "L"
    assert mask.size == (160, 120)
    values = np.asarray(mask)
    assert set(np.unique(values).tolist()) <= {0, 255}
    found = values == 255
    overlap = np.count_nonzero(found & scene.oil)
    assert overlap > 0.3 * np.count_nonzero(scene.oil)


def test_segment_reads_16_bit_tiff(client: httpx.Client) -> None:
    scene = synthetic_scene(96, 64, seed=3, dtype="uint16")
    buffer = io.BytesIO()
    scene.image.save(buffer, "TIFF")
    response = client.post(
        "/segment", files={"file": ("scene.tif", buffer.getvalue(), "image/tiff")}
    )
    assert response.status_code == 200, response.text
    assert Image.open(io.BytesIO(response.content)).size == (96, 64)


def test_missing_file_field(client: httpx.Client) -> None:
    scene = synthetic_scene(32, 32, seed=1)
    response = client.post(
        "/segment", files={"image": ("scene.png", _png(scene.image), "image/png")}
    )
    assert "'file'" in _error_of(response, 400)


def test_file_field_that_is_not_a_file(client: httpx.Client) -> None:
    response = client.post("/segment", files={"other": ("a.txt", b"x", "text/plain")},
                           data={"file": "not an upload"})  # fmt: skip
    assert "'file'" in _error_of(response, 400)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"\x89PNG\r\n\x1a\n", "image/png"), (b'{"file": "x"}', "application/json"), (b"", "")],
)
def test_not_multipart(client: httpx.Client, body: bytes, content_type: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/segment", content=body, headers=headers)
    assert "multipart/form-data" in _error_of(response, 415)


def test_broken_multipart(client: httpx.Client) -> None:
    response = client.post(
        "/segment",
        content=b"this is not multipart at all",
        headers={"Content-Type": "multipart/form-data"},
    )
    assert "multipart" in _error_of(response, 400)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", b"hello, this is text and not a picture"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("empty.png", b""),
    ],
)
def test_not_an_image(client: httpx.Client, name: str, data: bytes) -> None:
    response = client.post("/segment", files={"file": (name, data, "image/png")})
    _error_of(response, 422)


def test_too_many_pixels(client: httpx.Client) -> None:
    wide = Image.new("L", (2000, 1000), 90)
    response = client.post("/segment", files={"file": ("wide.png", _png(wide), "image/png")})
    assert "2000" in _error_of(response, 413) or "pixels" in response.json()["error"]


def test_upload_too_large_by_content_length(client: httpx.Client) -> None:
    data = b"\x00" * (SIZE_LIMIT + MULTIPART_OVERHEAD + 1)
    response = client.post("/segment", files={"file": ("big.png", data, "image/png")})
    assert "limit" in _error_of(response, 413)


def test_upload_too_large_when_streamed_without_length(client: httpx.Client) -> None:
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(40):  # 40 x 16 KiB: well over the limit, sent chunked
            yield b"\x00" * 16384
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/segment",
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "limit" in _error_of(response, 413)


def test_unknown_route_and_wrong_method(client: httpx.Client) -> None:
    assert "/nowhere" in _error_of(client.get("/nowhere"), 404)
    assert "GET" in _error_of(client.get("/segment"), 405)


def test_http_engine_end_to_end(base_url: str) -> None:
    scene = synthetic_scene(128, 96, seed=11, slicks=2)
    source = decode_image(_png(scene.image), "pack/scene.png", LIMITS)
    engine = HttpEngine(base_url + "/segment", connect_timeout=5, read_timeout=30)
    try:
        answer = engine.segment(source, CancelToken())
    finally:
        engine.close()
    assert answer.attempts == 1
    result = interpret_answer(answer.image, source.width, source.height)
    assert result.kind == "mask"
    assert result.warnings == []
    assert result.oil is not None
    assert result.oil.shape == (96, 128)
    assert np.count_nonzero(result.oil & scene.oil) > 0


def test_taken_port_is_a_clear_error() -> None:
    holder = _bind("127.0.0.1", 0)
    try:
        port = holder.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port}"):
            _bind("127.0.0.1", port)
    finally:
        holder.close()


def test_one_log_line_per_request(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="oilspill_desktop.server.app")
    client.get("/health")
    client.get("/missing")
    lines = [r.getMessage() for r in caplog.records if r.name == "oilspill_desktop.server.app"]
    assert len(lines) == 2
    assert "GET /health -> 200" in lines[0]
    assert "GET /missing -> 404" in lines[1]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP", "TIFF"])
@pytest.mark.parametrize("size", [(1, 1), (8, 8), (64, 64)])
def test_every_answer_passes_the_backends_100_byte_rule(
    client: httpx.Client, fmt: str, size: tuple[int, int]
) -> None:
    """All-sea tiles, tiny ones included: the Oil Spill AI backend refuses < 100 bytes."""
    buffer = io.BytesIO()
    Image.new("L", size, 200).save(buffer, fmt)
    files = {"file": (f"tile.{fmt.lower()}", buffer.getvalue(), "application/octet-stream")}
    response = client.post("/segment", files=files)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert len(response.content) >= 100
    answer = Image.open(io.BytesIO(response.content))
    assert answer.size == size and "oilspill-desktop" in answer.info["Software"]


def test_stats_counts_requests_and_times(client: httpx.Client) -> None:
    before = client.get("/stats").json()
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 200).save(buffer, "PNG")
    client.post("/segment", files={"file": ("a.png", buffer.getvalue(), "image/png")})
    client.post("/segment", files={"file": ("b.png", b"not an image", "image/png")})
    after = client.get("/stats").json()
    assert after["requests"] == before["requests"] + 2
    assert (after["ok"], after["failed"]) == (before["ok"] + 1, before["failed"] + 1)
    assert after["mean_ms"] > 0 and after["max_ms"] >= after["mean_ms"]
