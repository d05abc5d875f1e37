"""Build the engine the settings ask for; the only place that knows every kind."""

from __future__ import annotations

from pathlib import Path

from ..config.resources import bundled_model
from ..config.settings import Settings
from ..errors import InputError
from ..messages import say
from .classical import ClassicalEngine
from .endpoints.gate import AdaptiveGate
from .endpoints.pool import EndpointPool
from .endpoints.spec import EndpointSpec, parse_endpoints
from .http_engine import HttpEngine, check_endpoint
from .model_engine import ModelEngine, inference_threads
from .protocol import Engine
from .server.api import ApiOptions
from .server.engine import ServerEngine


def create_engine(settings: Settings, *, stop_when_unreachable: bool = False) -> Engine:
    """``stop_when_unreachable``: a job whose endpoint never answered and refuses
    connections stops rather than waits (the command line's choice; the window waits)."""
    if settings.engine == "http" and settings.more_endpoints.strip():
        return create_endpoint_pool(settings, stop_when_unreachable=stop_when_unreachable)
    if settings.engine == "http":
        engine = create_http_engine(settings, stop_when_unreachable=stop_when_unreachable)
        if not settings.adaptive_concurrency:
            return engine
        return AdaptiveGate(engine, most=engine_connections(settings))
    if settings.engine == "server":
        return create_server_engine(settings, stop_when_unreachable=stop_when_unreachable)
    if settings.engine == "classical":
        return ClassicalEngine()
    return create_model_engine(settings)


def engine_connections(settings: Settings) -> int:
    """Requests a job's engine may have out at once: its workers, times the jobs run at once."""
    return max(settings.workers, 1) * max(settings.concurrent_jobs, 1)


def create_http_engine(settings: Settings, *, stop_when_unreachable: bool) -> HttpEngine:
    """One ML endpoint, with its own retries, breaker and outage handling."""
    verify: bool | str = settings.ca_bundle or settings.tls_verify
    return HttpEngine(
        settings.endpoint,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries=settings.retries,
        token=settings.api_token,
        send_mode=settings.send_mode,
        verify=verify,
        max_connections=engine_connections(settings),
        max_outage=settings.max_outage_minutes * 60,
        backoff_base=settings.backoff_base,
        endpoint_kind=settings.endpoint_kind,
        stop_when_unreachable=stop_when_unreachable,
    )


def create_model_engine(settings: Settings) -> ModelEngine:
    """The learned engine, with threads shared out among the job's workers."""
    path = Path(settings.model_path) if settings.model_path else bundled_model()
    workers = max(settings.workers, 1) * max(settings.concurrent_jobs, 1)
    return ModelEngine(path, threads=inference_threads(workers))


def create_server_engine(settings: Settings, *, stop_when_unreachable: bool) -> ServerEngine:
    """The Oil Spill AI backend, a part per worker at a time."""
    return ServerEngine(
        settings.server,
        part_size=settings.part_size,
        part_timeout=settings.part_timeout_minutes * 60,
        options=server_api_options(settings, stop_when_unreachable=stop_when_unreachable),
    )


def server_api_options(settings: Settings, *, stop_when_unreachable: bool) -> ApiOptions:
    """How the backend is called: the ML service group's token, timeouts, retries and TLS."""
    return ApiOptions(
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries=settings.retries,
        backoff_base=settings.backoff_base,
        token=settings.api_token,
        verify=settings.ca_bundle or settings.tls_verify,
        connections=engine_connections(settings),
        max_outage=settings.max_outage_minutes * 60,
        stop_when_unreachable=stop_when_unreachable,
    )


def create_endpoint_pool(settings: Settings, *, stop_when_unreachable: bool) -> EndpointPool:
    """Several endpoints at once, or one with adaptive concurrency (see
    :mod:`.endpoints.pool`). A list the settings cannot be read as stops the job with the
    reason, before any image is sent."""
    try:
        extra = parse_endpoints(settings.more_endpoints)
    except ValueError as exc:
        raise InputError(say("engine.bad_endpoint_list", reason=str(exc))) from None
    specs = [EndpointSpec(settings.endpoint), *extra]
    for spec in specs:
        problem = check_endpoint(spec.url)
        if problem is not None:
            raise InputError(problem)
    workers = max(settings.workers, 1) * max(settings.concurrent_jobs, 1)
    verify: bool | str = settings.ca_bundle or settings.tls_verify
    engines = [
        HttpEngine(
            spec.url,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries=0,  # the pool retries, perhaps elsewhere
            token=spec.token or settings.api_token,
            send_mode=settings.send_mode,
            verify=verify,
            max_connections=workers,
            max_outage=0.0,  # the pool's breakers park an endpoint that is down
            backoff_base=settings.backoff_base,
            endpoint_kind=spec.kind or settings.endpoint_kind,
        )
        for spec in specs
    ]
    return EndpointPool(
        engines,
        retries=settings.retries,
        backoff_base=settings.backoff_base,
        max_outage=settings.max_outage_minutes * 60,
        most_in_flight=workers,
        stop_when_unreachable=stop_when_unreachable,
    )
