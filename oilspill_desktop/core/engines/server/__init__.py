"""The Oil Spill AI backend (FastAPI + Celery + Redis) as an engine that works per part.

:mod:`.api` makes its three calls (upload, status, download) with retries and a circuit
breaker; :mod:`.packing` packs a part under unique flat names and finds each answer again
by name; :mod:`.engine` runs one part from upload to answers. Separate from the per-image
HTTP engine because the backend takes zips and answers zips, with no per-image progress.
"""
