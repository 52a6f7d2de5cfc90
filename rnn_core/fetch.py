"""Fetching a table from an http(s) link, safely on a shared server.

``fetch_url(url)`` returns the bytes behind a link to a CSV file. On a shared web server the
link is typed by a visitor but fetched by the server, so the server must not become the
visitor's way into its own network (server-side request forgery, OWASP's "SSRF prevention"):

- the host is resolved here (numeric spellings such as ``2130706433``, ``0177.0.0.1``,
  ``0x7f.1`` or ``0`` are read the way the C library reads them, IDNA names are encoded, a
  trailing dot is dropped), and unless ``allow_private`` is true every address it resolves to
  must be public (``netguard.py``: which addresses, and why each is refused);
- the connection goes to the address that was checked (``pinned_http.py``: no second DNS
  lookup that could answer differently, DNS rebinding), while the Host header, TLS SNI and
  certificate check use the link's host name;
- redirects are followed here, at most ``MAX_REDIRECTS`` of them, http(s) only, each hop
  checked like the first;
- no proxy from the environment is used (a proxy would make the check meaningless).

Time and size are bounded: ``timeout`` seconds for each network wait, ``total_timeout`` for the
whole download (every receive waits at most the time left, so a server sending one byte every
few seconds is cut off at the deadline), at most ``max_bytes`` bytes, and a body shorter than
its declared Content-Length is refused rather than read as a shorter table.

The web app refuses private addresses unless ``RNN_EXPLORER_ALLOW_PRIVATE_LINKS=1``
(``netguard.allow_private_from_env``) and limits each visitor to
``MAX_LINK_FETCHES_PER_MINUTE`` fetches (``check_fetch_rate``); the CLI, run by a person on
their own machine, allows them unless told otherwise. This module imports no pandas.
"""

from __future__ import annotations

import functools
import http.client
import math
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

from . import netguard, pinned_http
from .errors import RnnExplorerError, quote
from .netguard import cut
from .tables.limits import MAX_UPLOAD_BYTES, size_text

__all__ = ["MAX_LINK_FETCHES_PER_MINUTE", "MAX_REDIRECTS", "UnexpectedLinkError", "check_fetch_rate",
           "fetch_url"]

MAX_REDIRECTS = 5
MAX_LINK_FETCHES_PER_MINUTE = 10  # per visitor (web app session): the server is nobody's crawler
# Small reads: the deadline is checked before each one, and one read never waits for a full
# buffer (a 64 KB read of a server dripping one byte at a time would wait for 65,536 bytes).
READ_PIECE = 16 * 1024
USER_AGENT = "rnn-explorer/1 (+csv upload)"
_REDIRECT_CODES = (301, 302, 303, 307, 308)


class UnexpectedLinkError(RnnExplorerError):
    """A failure the checks did not foresee while fetching a link, still worded for the user."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _link_guard(func: _F) -> _F:
    """Let ``RnnExplorerError`` through and turn anything else into one that talks about the
    link (not about a file): the UI only ever catches ``RnnExplorerError``."""

    @functools.wraps(func)
    def inner(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RnnExplorerError:
            raise
        except Exception as err:  # noqa: BLE001 - the contract: one error type
            raise UnexpectedLinkError(
                f"could not download the link ({type(err).__name__}: {quote(str(err))}). Check "
                "the link; if it looks right, download the file and upload it instead, and "
                "please report this problem.", field="url") from err

    return inner  # type: ignore[return-value]


# --------------------------------------------------------------------------- rate


def check_fetch_rate(history: Sequence[float], now: float | None = None,
                     limit: int = MAX_LINK_FETCHES_PER_MINUTE) -> list[float]:
    """The fetch times of the last minute with this one added (``time.monotonic`` seconds).

    Raises ``RnnExplorerError`` when ``limit`` fetches already happened in the last 60 s: keep
    the returned list (e.g. in the session) and pass it back the next time.

    >>> check_fetch_rate([0.0, 30.0], now=70.0)  # the fetch at 0.0 is over a minute old
    [30.0, 70.0]
    """
    now = time.monotonic() if now is None else now
    recent = [t for t in history if now - t < 60.0]
    if len(recent) >= limit:
        wait = max(1, math.ceil(60.0 - (now - min(recent))))
        raise RnnExplorerError(
            f"at most {limit} links can be loaded per minute: wait {wait} s, then press Load "
            "again (or download the file and upload it).", field="url")
    return [*recent, now]


# --------------------------------------------------------------------------- the link


@dataclass(frozen=True)
class _Target:
    url: str     # as given (for messages)
    scheme: str  # http or https
    host: str    # ASCII (IDNA), no trailing dot, no brackets: Host header, SNI, lookup
    port: int
    path: str    # the request target: path and query, percent-encoded


def _parse(url: str) -> _Target:
    """The parts of an http(s) link, or a message saying what is wrong with it."""
    shown = quote(url)
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as err:
        raise RnnExplorerError(f"the link {shown} is not a valid address: {_split_problem(url, err)}. "
                               "Copy the full address again (e.g. https://example.org/data.csv).",
                               field="url") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"the {scheme}:// scheme" if scheme else "no scheme"
        raise RnnExplorerError(f"the link {shown} uses {what}: only http:// and https:// links "
                               "can be read (e.g. https://example.org/data.csv).", field="url")
    try:
        port = parts.port
    except ValueError:
        raw = parts.netloc.rpartition("@")[2].rpartition(":")[2]
        raise RnnExplorerError(f"the link {shown} has the port {quote(raw)}: a port is a whole "
                               "number from 1 to 65535 after the server name (e.g. "
                               "http://example.org:8080/data.csv), or none.", field="url") from None
    if port == 0:
        raise RnnExplorerError(f"the link {shown} has the port 0: a port is a whole number from 1 "
                               "to 65535, or none.", field="url")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise RnnExplorerError(f"the link {shown} names no server: use a full address such as "
                               "https://example.org/data.csv.", field="url")
    if ":" not in host:  # not an IPv6 literal: a name, spelled in ASCII for DNS, Host and SNI
        try:
            host = host.encode("idna").decode("ascii").lower().rstrip(".")
        except UnicodeError:
            raise RnnExplorerError(f"the link {shown} names the server {quote(parts.hostname)}, "
                                   "which is not a valid domain name: check its spelling.",
                                   field="url") from None
    # what a browser sends for spaces and non-ASCII characters in the path
    path = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return _Target(url, scheme, host, port or (443 if scheme == "https" else 80), path)


def _split_problem(url: str, err: ValueError) -> str:
    """What ``urlsplit`` disliked, in words."""
    netloc = url.split("//", 1)[-1].split("/", 1)[0]
    if "[" in netloc and "]" not in netloc:
        return "a [ opens an IPv6 address but no ] closes it"
    if "]" in netloc and "[" not in netloc:
        return "a ] closes an IPv6 address that no [ opens"
    if "[" in netloc:
        return "the part in [ ] is not an IPv6 address"
    return quote(str(err))


# --------------------------------------------------------------------------- fetch_url


@_link_guard
def fetch_url(url: str, timeout: float = 10, max_bytes: int = MAX_UPLOAD_BYTES, *,
              allow_private: bool = False, total_timeout: float | None = None) -> bytes:
    """The bytes behind an http(s) link to a CSV file, at most ``max_bytes`` of them
    (default ``tables.MAX_UPLOAD_BYTES``, the upload's cap).

    ``timeout`` bounds every network wait; the whole download, redirects included, is bounded
    by ``total_timeout`` (default ``max(6 * timeout, 30)``) seconds. Addresses that are not
    public (loopback, private, link-local, ...) are refused before connecting unless
    ``allow_private`` is true. A web page (HTML) instead of a file is refused, and so is a body
    shorter than its declared length.
    """
    url = (url or "").strip()
    if not url:
        raise RnnExplorerError("no link given: paste the http(s) address of a CSV file.", field="url")
    total = max(6 * timeout, 30) if total_timeout is None else total_timeout
    deadline = time.monotonic() + total
    target = _parse(url)
    for hop in range(MAX_REDIRECTS + 1):
        try:
            data, location = _get(target, hop > 0, deadline, timeout, max_bytes, allow_private)
        except TimeoutError:
            if time.monotonic() >= deadline - 0.05:  # Overdue, or a last wait cut to the deadline
                raise _took_too_long(url, total) from None
            raise _timed_out(url, timeout) from None
        if location is None:
            return _not_a_page(url, data)
        try:
            new_url = urllib.parse.urljoin(target.url, location)
            scheme = urllib.parse.urlsplit(new_url).scheme.lower()
        except ValueError:  # _parse says what is wrong with it
            new_url, scheme = location, "http"
        if scheme not in ("http", "https"):
            raise RnnExplorerError(f"the link redirects to a {scheme or 'schemeless'}:// address; "
                                   "only http and https links can be read.", field="url")
        target = _parse(new_url)
    raise RnnExplorerError(f"the link {cut(url)} redirects more than {MAX_REDIRECTS} times: link "
                           "to the file itself (open it in a browser and copy the final address).",
                           field="url")


def _get(target: _Target, redirected: bool, deadline: float, wait: float, max_bytes: int,
         allow_private: bool) -> tuple[bytes, str | None]:
    """One request: (body, None), or (b"", Location) for a redirect."""
    try:
        addresses = pinned_http.resolve(target.host, target.port, deadline)
    except socket.gaierror as err:
        raise _unreachable(target.host, err) from None
    if not allow_private:
        netguard.check_addresses(target.host, target.url, addresses, redirected)
    cls = pinned_http.PinnedHTTPSConnection if target.scheme == "https" else pinned_http.PinnedHTTPConnection
    conn = cls(target.host, target.port, addresses, deadline, wait)
    try:
        try:
            conn.connect()
        except TimeoutError:
            raise
        except ssl.SSLError as err:  # certificate errors included
            raise RnnExplorerError(
                f"the secure connection to {target.host} failed ({_reason(err)}): its "
                "certificate may be invalid. Check the link, or download the file and upload it.",
                field="url") from None
        except OSError as err:
            raise _unreachable(target.host, err) from None
        try:
            conn.request("GET", target.path, headers={
                "User-Agent": USER_AGENT, "Connection": "close",
                "Accept": "text/csv, text/plain;q=0.9, */*;q=0.5"})
            response = conn.getresponse()
            if response.status in _REDIRECT_CODES:
                location = response.getheader("Location")
                if location:
                    return b"", location.strip()
            if response.status >= 300:
                raise _http_error(target.url, response.status, response.reason)
            data = _read_body(target, response, max_bytes)
            if response.headers.get_content_type() in ("text/html", "application/xhtml+xml"):
                raise _web_page(target.url)
            return data, None
        except TimeoutError:
            raise
        except (OSError, http.client.HTTPException) as err:
            raise _broke_off(target.host, err) from None
    finally:
        conn.close()


def _read_body(target: _Target, response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    declared_text = (response.getheader("Content-Length") or "").strip()
    declared = int(declared_text) if declared_text.isdigit() else None
    if declared is not None and declared > max_bytes:
        raise _too_big(target.url, max_bytes)
    body = bytearray()
    while True:
        try:
            piece = response.read1(READ_PIECE)
        except http.client.IncompleteRead as err:  # a chunked body that ended early
            raise _truncated(target.url, len(body) + len(err.partial), None) from None
        if not piece:
            break
        body += piece
        if len(body) > max_bytes:
            raise _too_big(target.url, max_bytes)
    if declared is not None and len(body) < declared:
        raise _truncated(target.url, len(body), declared)
    return bytes(body)


def _not_a_page(url: str, data: bytes) -> bytes:
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise _web_page(url)
    return data


# --------------------------------------------------------------------------- messages


def _web_page(url: str) -> RnnExplorerError:
    return RnnExplorerError(
        f"{cut(url)} returned a web page, not a table: link to the raw CSV file (on GitHub the "
        "\"Raw\" button; on Google Sheets File > Share > Publish to web > CSV).", field="url")


def _http_error(url: str, code: int, reason: str | None) -> RnnExplorerError:
    reason = f" {reason}" if reason else ""
    advice = {404: "the file was not found: check the address",
              401: "the file is not public: share it publicly or download and upload it",
              403: "the file is not public: share it publicly or download and upload it"}.get(
        code, "check the address, or download the file and upload it")
    return RnnExplorerError(f"{cut(url)} answered HTTP {code}{cut(reason)}: {advice}.", field="url")


def _too_big(url: str, max_bytes: int) -> RnnExplorerError:
    return RnnExplorerError(f"the file at {cut(url)} is larger than {size_text(max_bytes)}, the limit: "
                            "link to a shorter extract (fewer rows or columns).", field="url")


def _truncated(url: str, got: int, declared: int | None) -> RnnExplorerError:
    of = f" of {declared:,}" if declared is not None else ""
    return RnnExplorerError(f"the download stopped after {got:,}{of} bytes ({cut(url)} closed the "
                            "connection early); try again, or download the file and upload it.",
                            field="url")


def _timed_out(url: str, timeout: float) -> RnnExplorerError:
    return RnnExplorerError(f"{cut(url)} did not answer within {timeout:g} s: the server is slow "
                            "or unreachable. Try again later, or download the file and upload it.",
                            field="url")


def _took_too_long(url: str, total: float) -> RnnExplorerError:
    return RnnExplorerError(f"downloading {cut(url)} took longer than {total:g} s: the server is "
                            "too slow. Download the file and upload it instead.", field="url")


def _unreachable(host: str, err: BaseException) -> RnnExplorerError:
    return RnnExplorerError(
        f"could not reach {host} ({_reason(err)}): the machine may be offline, or the address "
        "may be wrong. Check the link, or download the file and upload it.", field="url")


def _broke_off(host: str, err: BaseException) -> RnnExplorerError:
    return RnnExplorerError(
        f"the download from {host} failed ({_reason(err)}): the connection broke off. Try "
        "again, or download the file and upload it.", field="url")


def _reason(reason: Any) -> str:
    if isinstance(reason, socket.gaierror):
        return "the server name could not be resolved"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return cut(str(reason).strip()) or type(reason).__name__
