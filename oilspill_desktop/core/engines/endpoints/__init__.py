"""Several ML endpoints at once: :mod:`.spec` reads the list, :mod:`.pool` spreads the
images by measured rate with a circuit breaker per endpoint, :mod:`.limiter` finds how
many requests each endpoint takes at once. Separate from :mod:`..http_engine`, which
stays the engine of one endpoint (and is used here, one per endpoint)."""
