"""The upload body: what a real form parser (starlette's) reads back, and httpx agreement."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.requests import Request

from oilspill_desktop.core.engines.multipart import form_with_file

NAMES = [
    "scene.png",
    "Каспий_001.jpg",
    'odd "quoted" name.tif',
    "back\\slash.png",
    "tab\tline\n.png",
]


def parse(body: bytes, content_type: str) -> tuple[str, str, str, bytes]:
    """(field, filename, content type, content) as starlette + python-multipart see them."""

    async def run() -> tuple[str, str, str, bytes]:
        sent = False

        async def receive() -> dict[str, object]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        scope = {
            "type": "http",
            "method": "POST",
            "headers": [(b"content-type", content_type.encode())],
        }
        form = await Request(scope, receive).form()
        try:
            [(field, upload)] = list(form.multi_items())
            assert not isinstance(upload, str)
            return field, upload.filename or "", upload.content_type or "", await upload.read()
        finally:
            await form.close()

    return asyncio.run(run())


@pytest.mark.parametrize("name", NAMES)
def test_a_form_parser_reads_back_the_field_the_file_and_its_type(name: str) -> None:
    content = bytes(range(256)) * 3 + b"\r\n--not-a-boundary\r\n"
    body, content_type = form_with_file("file", name, content, "image/png")
    field, filename, sent_type, received = parse(body, content_type)
    assert (field, sent_type, received) == ("file", "image/png", content)
    httpx_body, httpx_type = httpx_form(name, content)
    assert filename == parse(httpx_body, httpx_type)[1]  # names arrive as httpx sent them


@pytest.mark.parametrize("name", NAMES)
def test_the_part_headers_are_those_httpx_writes(name: str) -> None:
    body, content_type = form_with_file("file", name, b"x", "image/jpeg")
    boundary = content_type.split("boundary=", 1)[1]
    httpx_body, httpx_type = httpx_form(name, b"x", "image/jpeg")
    httpx_boundary = httpx_type.split("boundary=", 1)[1]
    assert body.replace(boundary.encode(), b"B") == httpx_body.replace(
        httpx_boundary.encode(), b"B"
    )


def test_each_body_has_its_own_boundary() -> None:
    assert form_with_file("file", "a", b"", "x/y")[1] != form_with_file("file", "a", b"", "x/y")[1]


def httpx_form(name: str, content: bytes, content_type: str = "image/png") -> tuple[bytes, str]:
    request = httpx.Request(
        "POST", "http://127.0.0.1/", files={"file": (name, content, content_type)}
    )
    return request.read(), request.headers["content-type"]
