"""HTTP(S) connections to an address that was checked, every wait bounded by a deadline.

The host is resolved once (``resolve``) and the connection goes to the address that was
checked: no second DNS lookup that could answer differently (DNS rebinding), while the Host
header, TLS SNI and the certificate check use the link's host name. Every send and receive
waits at most ``wait`` seconds and never past the whole download's ``deadline``
(``Overdue``), so a server sending one byte every few seconds is cut off at the deadline.
"""

from __future__ import annotations

import http.client
import ipaddress
import math
import socket
import ssl
import threading
import time
from typing import Any, Callable, Sequence

from .netguard import Address, ipv4_spelling

__all__ = ["Overdue", "PinnedHTTPConnection", "PinnedHTTPSConnection", "resolve"]


class Overdue(TimeoutError):
    """The whole download's deadline has passed."""


def _lookup(host: str, port: int) -> list[Address]:
    """The addresses DNS gives for ``host`` (the tests replace this to play a public host)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def resolve(host: str, port: int, deadline: float) -> list[Address]:
    """Every address of ``host``, without duplicates, in the resolver's order; a numeric host
    is its own address (``netguard.ipv4_spelling``)."""
    try:
        literal: Address | None = ipaddress.ip_address(host)
    except ValueError:
        literal = ipv4_spelling(host)
    if literal is not None:
        return [literal]
    # getaddrinfo has no timeout of its own: wait for it in a thread, at most the time left
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(_call(_lookup, host, port)),
                              daemon=True, name="rnn-explorer-dns")
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if not result:
        raise Overdue()
    ok, value = result[0]
    if not ok:
        raise value
    addresses = list(dict.fromkeys(value))
    if not addresses:
        raise socket.gaierror("no address")
    return addresses


def _call(func: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    try:
        return True, func(*args)
    except Exception as err:  # noqa: BLE001 - handed to the waiting thread
        return False, err


class _DeadlineMixin:
    """Every send and receive waits at most ``wait`` seconds and never past ``deadline``, so a
    server that trickles bytes cannot stretch the download past its bound (``http.client``
    reads headers and bodies through ``recv_into``)."""

    deadline = math.inf
    wait = 10.0

    def _arm(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Overdue()
        self.settimeout(min(self.wait, left))  # type: ignore[attr-defined]

    def recv_into(self, *args: Any, **kwargs: Any) -> int:
        self._arm()
        return super().recv_into(*args, **kwargs)  # type: ignore[misc]

    def recv(self, *args: Any, **kwargs: Any) -> bytes:
        self._arm()
        return super().recv(*args, **kwargs)  # type: ignore[misc]

    def sendall(self, *args: Any, **kwargs: Any) -> None:
        self._arm()
        return super().sendall(*args, **kwargs)  # type: ignore[misc]


class _DeadlineSocket(_DeadlineMixin, socket.socket):
    pass


class _DeadlineSSLSocket(_DeadlineMixin, ssl.SSLSocket):
    pass


def _open_socket(addresses: Sequence[Address], port: int, deadline: float, wait: float) -> socket.socket:
    """A TCP connection to the first of the checked ``addresses`` that answers."""
    error: Exception = OSError("no address")
    for ip in addresses:
        family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        sock = _DeadlineSocket(family, socket.SOCK_STREAM)
        sock.deadline, sock.wait = deadline, wait
        try:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Overdue()
            sock.settimeout(min(wait, left))
            sock.connect((str(ip), port))
            return sock
        except OSError as err:  # TimeoutError included: try the next address
            sock.close()
            error = err
    raise error


def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, host names checked (the tests trust their own)."""
    return ssl.create_default_context()


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address; the Host header keeps the link's host name."""

    def __init__(self, host: str, port: int, addresses: Sequence[Address], deadline: float, wait: float):
        super().__init__(host, port, timeout=wait)
        self._addresses, self._deadline, self._wait = tuple(addresses), deadline, wait

    def connect(self) -> None:  # no DNS lookup here: the addresses were checked
        self.sock = _open_socket(self._addresses, self.port, self._deadline, self._wait)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """HTTPS to a checked address; SNI and the certificate check use the link's host name."""

    default_port = 443

    def connect(self) -> None:
        super().connect()
        context = _tls_context()
        context.sslsocket_class = _DeadlineSSLSocket
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)
        self.sock.deadline, self.sock.wait = self._deadline, self._wait
