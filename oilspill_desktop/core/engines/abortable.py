"""Cut an HTTP client's open connections from another thread, so that cancel is prompt.

A blocking ``recv`` on a silent server cannot be interrupted by closing the client; it
can be by shutting its socket down. This network backend remembers the sockets it opens,
and :meth:`AbortableBackend.abort` shuts them all down: requests in flight fail at once
and the workers, seeing the cancelled token, stop.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import weakref
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

log = logging.getLogger(__name__)


class AbortableBackend(httpcore.SyncBackend):
    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._aborted = False

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        stream = super().connect_tcp(*args, **kwargs)
        sock = stream.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            # httpx writes a multipart upload in several small sends; with Nagle's
            # algorithm on, the server's delayed ACK then holds each request ~40 ms.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            aborted = self._aborted
            if not aborted and isinstance(sock, socket.socket):
                self._sockets.add(sock)
        if aborted:
            stream.close()
            raise httpcore.ConnectError("the request was cancelled")
        return stream

    def abort(self) -> None:
        with self._lock:
            self._aborted = True
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def install_backend(client: httpx.Client, backend: AbortableBackend) -> bool:
    """Make every connection pool of ``client`` open its sockets through ``backend``.

    httpx does not let us pass a network backend, so this sets the pools' attribute; if a
    future httpx changes its insides, abort degrades to a no-op and says so in the log.
    """
    transports: Iterable[object] = [client._transport, *client._mounts.values()]
    installed = False
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = backend
            installed = True
    if not installed:
        log.warning("This httpx version hides its connection pool; cancel waits for timeouts.")
    return installed
