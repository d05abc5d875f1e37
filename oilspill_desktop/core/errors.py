"""Exceptions that carry a message meant for the user.

Two kinds matter to the caller: an :class:`InputError` means the whole input cannot be
processed (the CLI exits 2, no results file is written); an :class:`ItemError` fails one
image and the job goes on.
"""


class OilSpillError(Exception):
    """Base class: ``str(error)`` is a complete sentence fit for a user."""


class InputError(OilSpillError):
    """The input archive as a whole cannot be processed (not a zip, truncated, no images)."""


class ModelError(InputError):
    """A segmentation model or its description cannot be used: no image could be segmented."""


class ItemError(OilSpillError):
    """One member failed: unreadable, too large, corrupt, or the engine refused it."""


class LimitExceeded(ItemError):
    """A member or image breaks a configured limit (bytes, pixels, compression ratio)."""


class EngineError(ItemError):
    """The segmentation engine did not give a usable answer for one image."""


class Cancelled(OilSpillError):
    """Work stopped because the user cancelled; not a failure of the item."""


class OutputError(OilSpillError):
    """Results could not be written (disk full, read-only folder)."""


class EndpointUnreachable(OilSpillError):
    """The endpoint has never answered and refuses connections (or its host is unknown):
    a wrong address or a service not started, so the whole job stops instead of waiting."""
