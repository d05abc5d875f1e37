"""The ``multipart/form-data`` body that carries one image to an ML service.

httpx can build it from ``files=``, but does so on every try, through a stream of parts
and headers objects; on the hot path of eight workers that was a measurable share of the
GIL. The body here is built once per image (retries reuse it), by the rules httpx and the
HTML5 form encoding follow, so services see exactly what they saw before.
"""

from __future__ import annotations

import os

_ESCAPES = str.maketrans(
    {'"': "%22", "\\": "\\\\", **{chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B}}
)
"""HTML5 form encoding of a parameter value: quotes and control characters escaped."""


def form_with_file(
    field: str, filename: str, content: bytes, content_type: str
) -> tuple[bytes, str]:
    """Return ``(body, content_type_header)`` for a form holding one file field."""
    boundary = os.urandom(16).hex()
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field.translate(_ESCAPES)}"; '
        f'filename="{filename.translate(_ESCAPES)}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return b"".join((head, content, tail)), f"multipart/form-data; boundary={boundary}"
