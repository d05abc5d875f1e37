"""Build the engine the settings ask for; the only place that knows both kinds."""

from __future__ import annotations

from .builtin_segmenter import BuiltinSegmenter
from .http_segmenter import HttpSegmenter
from .segmenter import Segmenter
from .settings import Settings


def create_segmenter(settings: Settings, *, stop_when_unreachable: bool = False) -> Segmenter:
    """``stop_when_unreachable``: a job whose endpoint never answered and refuses
    connections stops rather than waits (the command line's choice; the window waits)."""
    if settings.engine == "http":
        verify: bool | str = settings.ca_bundle or settings.tls_verify
        return HttpSegmenter(
            settings.endpoint,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries=settings.retries,
            token=settings.api_token,
            send_mode=settings.send_mode,
            verify=verify,
            max_connections=max(settings.workers, 1) * max(settings.concurrent_jobs, 1),
            max_outage=settings.max_outage_minutes * 60,
            backoff_base=settings.backoff_base,
            endpoint_kind=settings.endpoint_kind,
            stop_when_unreachable=stop_when_unreachable,
        )
    return BuiltinSegmenter()
