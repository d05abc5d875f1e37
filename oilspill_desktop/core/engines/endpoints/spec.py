"""The list of ML endpoints, as the settings file and ``--endpoint`` write it.

One endpoint per line (or per ``--endpoint``): its URL, then optionally ``kind=`` (what
it reads: ``auto``, ``generic``, ``oilspill-ai``) and its own token, ``token=`` in the
settings file or ``token-env=NAME`` (an environment variable, so that no token has to
appear on a command line). Words are separated by spaces or commas. Anything not
understood is refused with a sentence that says which line and what, rather than an
endpoint quietly left out.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..upload import ENDPOINT_KINDS, EndpointKind


@dataclass(frozen=True)
class EndpointSpec:
    url: str
    kind: EndpointKind | None = None
    """``None``: the settings' endpoint kind."""
    token: str = field(default="", repr=False)
    """Empty: the settings' API token."""


_SEPARATORS = re.compile(r"[\s,]+")


def parse_endpoint(text: str) -> EndpointSpec:
    """One endpoint; raises ``ValueError`` with the reason for anything not understood."""
    words = [word for word in _SEPARATORS.split(text.strip()) if word]
    if not words:
        raise ValueError("an endpoint line is empty")
    url, options = words[0], words[1:]
    if "=" in url.split("?", 1)[0] and "://" not in url:
        raise ValueError(f"{text.strip()!r} does not start with the endpoint's URL")
    kind: EndpointKind | None = None
    token = ""
    for option in options:
        key, sep, value = option.partition("=")
        if not sep:
            raise ValueError(f"{option!r} after {url} is not kind=, token= or token-env=")
        if key == "kind":
            kind = _kind(value)
        elif key == "token":
            token = value
        elif key == "token-env":
            token = os.environ.get(value, "")
            if not token:
                raise ValueError(f"the environment variable {value} (token of {url}) is not set")
        else:
            raise ValueError(f"{option!r} after {url} is not kind=, token= or token-env=")
    return EndpointSpec(url, kind, token)


def parse_endpoints(text: str) -> list[EndpointSpec]:
    """Every non-empty line that is not a ``#`` comment."""
    return [
        parse_endpoint(line)
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _kind(value: str) -> EndpointKind:
    for kind in ENDPOINT_KINDS:
        if value == kind:
            return kind
    raise ValueError(f"kind={value} is not one of {', '.join(ENDPOINT_KINDS)}")
