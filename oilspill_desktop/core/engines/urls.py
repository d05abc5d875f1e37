"""Endpoint addresses as they may be shown: without credentials or query strings.

Some services take their key in the URL (``user:pass@`` or ``?api_key=``); reports, logs
and messages name the service by this form only.
"""

from __future__ import annotations

import httpx


def display_url(url: str) -> str:
    """The URL without credentials, query string or fragment (each of several URLs
    separated by spaces: the endpoints of a job that uses several)."""
    if " " in url.strip():
        return " ".join(display_url(part) for part in url.split())
    try:
        parsed = httpx.URL(url)
        return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))
    except (httpx.InvalidURL, TypeError, ValueError):
        return "the engine address"
