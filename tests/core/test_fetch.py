"""Tables from links (``rnn_core.fetch``): what is read, what is refused and how fast.

Everything runs against listeners on 127.0.0.1 / 127.0.0.2 / ::1 (no internet needed). The
fetches that must succeed pass ``allow_private=True`` (the CLI's default), since the test servers
are on this machine; the refusals use the web app's default and check that the refused address
never saw a connection. A "public" server is played by 127.0.0.2 with ``address_kind`` told to
treat it as public and ``_lookup`` answering for a made-up host name.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import http.server
import ipaddress
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse

import pytest

from rnn_core import fetch, netguard, pinned_http, tables
from rnn_core.errors import RnnExplorerError, quote
from rnn_core.fetch import MAX_LINK_FETCHES_PER_MINUTE, MAX_REDIRECTS, fetch_url
from rnn_core.netguard import PRIVATE_REFUSED
from rnn_core.tables import read_table, to_series
from tests.core.conftest import cli_main

CSV_BODY = ("date,value\n" + "".join(f"2000-{1 + i // 28:02d}-{1 + i % 28:02d},{i}\n"
                                      for i in range(30))).encode()
PUBLIC_IP = "127.0.0.2"  # plays a public server (see the module docstring)
PUBLIC_HOST = "data.example.org"

get = functools.partial(fetch_url, allow_private=True)


def error_of(func, *args, **kwargs) -> str:
    with pytest.raises(RnnExplorerError) as info:
        func(*args, **kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- servers


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hosts: list[str] = []  # Host headers seen, newest last

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, body: bytes, ctype: str = "text/csv", status: int = 200, length: int | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def _redirect(self, location: str, status: int = 302):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.close_connection = True

    def do_GET(self):  # noqa: N802
        type(self).hosts.append(self.headers.get("Host", ""))
        try:
            self._answer(*urllib.parse.urlsplit(self.path)[2:4])
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout, cap)
            pass

    def _answer(self, path: str, query: str):
        if path == "/data.csv":
            self._send(CSV_BODY)
        elif path == "/page":
            self._send(b"<p>a page</p>", "text/html; charset=utf-8")
        elif path == "/page-as-text":
            self._send(b"  <!DOCTYPE html>\n<html></html>", "text/plain")
        elif path == "/slow":
            time.sleep(1.5)
            self._send(CSV_BODY)
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"1\n" * 100)
            self.close_connection = True
        elif path == "/big-declared":
            self._send(b"x\n" + b"1\n" * 5000)
        elif path == "/truncated":  # the reproducer: declares 1,642 bytes, sends 999
            self._send(b"value\n" + b"1\n" * 496 + b"1", length=1642)
        elif path == "/truncated-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"6\r\nvalue\n\r\n")  # then the connection closes, no last chunk
            self.close_connection = True
        elif path == "/drip":  # one byte every 0.2 s, far longer than the deadline
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"1")
                self.wfile.flush()
                time.sleep(0.2)
        elif path == "/ftp":
            self._redirect("ftp://127.0.0.1/data.csv")
        elif path == "/relative":
            self._redirect("data.csv", 301)
        elif path == "/loop":
            self._redirect("/loop", 307)
        elif path == "/to":  # /to?http://elsewhere/...
            self._redirect(urllib.parse.unquote(query))
        else:
            self._send(b"not here", "text/plain", status=404)


def _serve(host: str, handler=_Handler, wrap=None):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_cls = type("Server", (http.server.ThreadingHTTPServer,), {"address_family": family})
    httpd = server_cls((host, 0), handler)
    httpd.daemon_threads = True
    if wrap is not None:
        httpd.socket = wrap(httpd.socket)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return httpd, thread


@pytest.fixture(scope="module")
def server():
    httpd, thread = _serve("127.0.0.1")
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def public_port():
    """A server on PUBLIC_IP; ``as_public`` makes the checks treat it as a public one."""
    httpd, thread = _serve(PUBLIC_IP)
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def as_public(monkeypatch):
    """PUBLIC_HOST resolves to PUBLIC_IP, which counts as public; everything else as usual.
    Returns the list of host names looked up."""
    looked_up: list[str] = []
    kind, lookup = netguard.address_kind, pinned_http._lookup

    def fake_lookup(host, port):
        looked_up.append(host)
        return [ipaddress.ip_address(PUBLIC_IP)] if host == PUBLIC_HOST else lookup(host, port)

    monkeypatch.setattr(netguard, "address_kind", lambda ip: None if str(ip) == PUBLIC_IP else kind(ip))
    monkeypatch.setattr(pinned_http, "_lookup", fake_lookup)
    return looked_up


class Listener:
    """A bare TCP listener that never answers: it only tells whether anyone connected."""

    def __init__(self, host: str = "127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        """Connections made so far (the kernel queues them even though nobody accepts)."""
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, BlockingIOError):
                return count
            conn.close()
            count += 1

    def close(self):
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture
def no_connect(monkeypatch):
    """Fails the test if fetch opens any connection; returns the addresses it tried."""
    tried: list = []

    def refuse(addresses, *args):
        tried.extend(addresses)
        raise AssertionError(f"connected to {addresses}")

    monkeypatch.setattr(pinned_http, "_open_socket", refuse)
    return tried


# --------------------------------------------------------------------------- reading


def test_fetch_url_reads_a_csv(server):
    data = get(f"{server}/data.csv", timeout=5)
    assert data == CSV_BODY
    series, _ = to_series(read_table(data), "value", date="date")
    assert len(series) == 30


def test_links_are_fetched_in_one_place():
    assert not hasattr(tables, "fetch_url") and fetch.fetch_url is fetch_url


@pytest.mark.parametrize("url, scheme", [("ftp://example.org/a.csv", "ftp"),
                                         ("file:///etc/passwd", "file"),
                                         ("javascript:alert(1)", "javascript"),
                                         ("example.org/data.csv", None)])
def test_url_that_is_not_http(url, scheme):
    msg = error_of(fetch_url, url)
    assert (f"the {scheme}:// scheme" if scheme else "no scheme") in msg
    assert "only http:// and https:// links" in msg


def test_url_that_times_out(server):
    start = time.monotonic()
    msg = error_of(get, f"{server}/slow", timeout=0.5)
    assert time.monotonic() - start < 1.4
    assert "did not answer within 0.5 s" in msg


@pytest.mark.parametrize("path", ["/page", "/page-as-text"])
def test_url_returning_html(server, path):
    msg = error_of(get, f"{server}{path}", timeout=5)
    assert "returned a web page, not a table: link to the raw CSV file" in msg


def test_url_refused_or_offline(listener):
    port = listener.port
    listener.close()  # now nothing listens on it
    msg = error_of(get, f"http://127.0.0.1:{port}/data.csv", timeout=2)
    assert "could not reach 127.0.0.1 (connection refused): the machine may be offline" in msg


def test_url_http_error_gives_the_status(server):
    msg = error_of(get, f"{server}/missing.csv", timeout=5)
    assert "answered HTTP 404 Not Found: the file was not found: check the address." in msg


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_url_over_the_cap(server, path):
    msg = error_of(get, f"{server}{path}", timeout=5, max_bytes=1000)
    assert f"the file at {server}{path} is larger than 1000 bytes, the limit" in msg


def test_truncated_download_is_refused(server):
    msg = error_of(get, f"{server}/truncated", timeout=5)
    assert msg.startswith("the download stopped after 999 of 1,642 bytes (")
    assert "closed the connection early); try again" in msg


def test_truncated_chunked_download_is_refused(server):
    msg = error_of(get, f"{server}/truncated-chunked", timeout=5)
    assert msg.startswith("the download stopped after 6 bytes (")


def test_a_dripping_body_stops_at_the_overall_deadline(server):
    started = time.monotonic()
    msg = error_of(get, f"{server}/drip", timeout=1, total_timeout=1.5)
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 1.5 + 0.5, elapsed
    assert f"downloading {server}/drip took longer than 1.5 s: the server is too slow" in msg


def test_dripping_headers_stop_at_the_overall_deadline():
    """A server that sends its status line one byte every 0.2 s (no body ever)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    stop = threading.Event()

    def drip():
        conn, _ = sock.accept()
        with conn:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n" * 100:
                if stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.2)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        msg = error_of(get, f"http://127.0.0.1:{sock.getsockname()[1]}/x.csv", timeout=1,
                       total_timeout=1.2)
        assert time.monotonic() - started < 1.2 + 0.5
        assert "took longer than 1.2 s" in msg
    finally:
        stop.set()
        sock.close()
        thread.join(5)


def test_default_overall_deadline_is_six_timeouts_or_30_s(server, monkeypatch):
    seen = []
    real = fetch._get
    monkeypatch.setattr(fetch, "_get", lambda target, hop, deadline, *a: seen.append(
        deadline - time.monotonic()) or real(target, hop, deadline, *a))
    get(f"{server}/data.csv", timeout=10)
    get(f"{server}/data.csv", timeout=2)
    assert 59 < seen[0] <= 60 and 29 < seen[1] <= 30


# --------------------------------------------------------------------------- redirects


def test_relative_redirect_is_followed(server):
    assert get(f"{server}/relative", timeout=5) == CSV_BODY


def test_url_redirect_to_another_scheme_is_refused(server):
    msg = error_of(get, f"{server}/ftp", timeout=5)
    assert "the link redirects to a ftp:// address; only http and https links can be read." in msg


def test_redirect_loop_is_cut_short(server):
    msg = error_of(get, f"{server}/loop", timeout=5)
    assert f"redirects more than {MAX_REDIRECTS} times: link to the file itself" in msg


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433"])
def test_redirect_from_a_public_server_to_this_one_is_refused(as_public, public_port, listener, host):
    target = f"http://{host}:{listener.port}/x.csv"
    url = f"http://{PUBLIC_HOST}:{public_port}/to?{urllib.parse.quote(target)}"
    msg = error_of(fetch_url, url, timeout=5)
    assert msg.startswith(f"the link redirects to {target}, and ")
    assert f"is a loopback address (this server itself): {PRIVATE_REFUSED}." in msg
    assert listener.connections() == 0


def test_public_server_is_read_at_the_checked_address(as_public, public_port, listener, monkeypatch):
    """DNS rebinding: a second lookup would answer 127.0.0.1; there is none."""
    lookup = pinned_http._lookup

    def rebinding(host, port):
        if host == PUBLIC_HOST and as_public:  # every lookup after the first one
            return [ipaddress.ip_address("127.0.0.1")]
        return lookup(host, port)

    monkeypatch.setattr(pinned_http, "_lookup", rebinding)
    _Handler.hosts.clear()
    assert fetch_url(f"http://{PUBLIC_HOST}:{public_port}/data.csv", timeout=5) == CSV_BODY
    assert as_public == [PUBLIC_HOST]  # looked up once
    assert _Handler.hosts == [f"{PUBLIC_HOST}:{public_port}"]  # the Host header keeps the name


# --------------------------------------------------------------------------- addresses refused

LOOPBACK_SPELLINGS = [
    "127.0.0.1", "localhost", "LOCALHOST.", "127.0.0.1.", "2130706433", "0177.0.0.1", "0x7f.1",
    "0x7F000001", "127.1", "0177.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]",
    "１２７．０．０．１",  # full-width digits and dots: IDNA maps them to 127.0.0.1
]


@pytest.mark.parametrize("spelling", LOOPBACK_SPELLINGS)
def test_loopback_spellings_are_refused_before_connecting(listener, spelling):
    msg = error_of(fetch_url, f"http://{spelling}:{listener.port}/x.csv", timeout=2)
    assert msg.startswith("the link's server ")
    assert "127.0.0.1, a loopback address" in msg or "(127.0.0.1) is a loopback address" in msg \
        or "127.0.0.1 is a loopback address" in msg
    assert msg.endswith(f"{PRIVATE_REFUSED}. Download the file and upload it instead.")
    assert listener.connections() == 0


@pytest.mark.parametrize("spelling", ["0", "0.0.0.0", "[::]"])
def test_unspecified_address_is_refused_before_connecting(listener, spelling):
    msg = error_of(fetch_url, f"http://{spelling}:{listener.port}/x.csv", timeout=2)
    assert "is the unspecified address (it means this server itself)" in msg
    assert listener.connections() == 0


def test_ipv6_loopback_is_refused_before_connecting():
    try:
        lst = Listener("::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        msg = error_of(fetch_url, f"http://[::1]:{lst.port}/x.csv", timeout=2)
        assert "the link's server ::1 is a loopback address (this server itself)" in msg
        assert lst.connections() == 0
        # and the same address is read when private addresses are allowed (the CLI)
        assert error_of(get, f"http://[::1]:{lst.port}/x.csv", timeout=0.3).endswith(
            "did not answer within 0.3 s: the server is slow or unreachable. Try again later, "
            "or download the file and upload it.")
        assert lst.connections() == 1
    finally:
        lst.close()


@pytest.mark.parametrize("host, shown, kind", [
    ("10.0.0.1", None, "a private-network address"),
    ("10.255.255.255", None, "a private-network address"),
    ("012.0.0.1", "10.0.0.1", "a private-network address"),  # octal 10
    ("167772161", "10.0.0.1", "a private-network address"),  # decimal
    ("172.16.0.1", None, "a private-network address"),
    ("172.31.255.254", None, "a private-network address"),
    ("192.168.1.1", None, "a private-network address"),
    ("0xc0.0xa8.1.1", "192.168.1.1", "a private-network address"),
    ("169.254.169.254", None, "a link-local address (where cloud servers keep their metadata)"),
    ("2852039166", "169.254.169.254", "a link-local address"),
    ("0xA9FEA9FE", "169.254.169.254", "a link-local address"),
    ("0251.0376.0251.0376", "169.254.169.254", "a link-local address"),
    ("169.254.0.1", None, "a link-local address"),
    ("100.64.0.1", None, "a carrier-grade NAT address"),
    ("100.127.255.254", None, "a carrier-grade NAT address"),
    ("224.0.0.1", None, "a multicast address"),
    ("239.255.255.250", None, "a multicast address"),
    ("240.0.0.1", None, "a reserved address"),
    ("255.255.255.255", None, "a reserved address"),
    ("192.0.2.10", None, "a reserved address"),  # documentation range: not global
    ("[fc00::1]", "fc00::1", "a private-network address"),
    ("[fd12:3456::1]", "fd12:3456::1", "a private-network address"),
    ("[fe80::1]", "fe80::1", "a link-local address"),
    ("[ff02::1]", "ff02::1", "a multicast address"),
    ("[::ffff:10.0.0.1]", "::ffff:10.0.0.1", "an IPv6 form of 10.0.0.1, a private-network address"),
    ("[::ffff:a9fe:a9fe]", "::ffff:a9fe:a9fe", "an IPv6 form of 169.254.169.254, a link-local"),
    ("[::10.0.0.1]", "::10.0.0.1", "an IPv6 form of 10.0.0.1, a private-network address"),
    ("[64:ff9b::a9fe:a9fe]", "64:ff9b::a9fe:a9fe", "an IPv6 form of 169.254.169.254, a link-local"),
    ("[2002:c0a8:101::1]", "2002:c0a8:101::1", "an IPv6 form of 192.168.1.1, a private-network"),
    ("[::ffff:8.8.8.8]", "::ffff:8.8.8.8", "an IPv6 form of 8.8.8.8, an address spelling no public"),
])
def test_address_classes_are_refused_before_connecting(no_connect, host, shown, kind):
    msg = error_of(fetch_url, f"http://{host}/latest/meta-data/", timeout=2)
    host = host.lower()  # as urlsplit gives it
    where = host.strip("[]") if shown is None or shown == host.strip("[]") else f"{host} ({shown})"
    assert msg.startswith(f"the link's server {where} is {kind}"), msg
    assert PRIVATE_REFUSED in msg
    assert no_connect == []


@pytest.mark.parametrize("answer", [["127.0.0.1"], ["10.1.2.3"], ["::1"], ["169.254.169.254"],
                                    ["93.184.215.14", "10.0.0.5"]])  # one private answer suffices
def test_public_looking_host_resolving_to_private_is_refused(monkeypatch, listener, no_connect, answer):
    monkeypatch.setattr(pinned_http, "_lookup", lambda host, port: [ipaddress.ip_address(a) for a in answer])
    msg = error_of(fetch_url, f"http://files.example.com:{listener.port}/data.csv", timeout=2)
    private = answer[-1]
    assert msg.startswith(f"the link's server files.example.com ({private}) is a"), msg
    assert PRIVATE_REFUSED in msg
    assert no_connect == [] and listener.connections() == 0


def test_public_addresses_pass_the_check():
    for address in ("93.184.215.14", "8.8.8.8", "2606:4700::1111", "1.1.1.1"):
        assert netguard.address_kind(ipaddress.ip_address(address)) is None, address


def test_hosts_that_do_not_resolve_are_unreachable(monkeypatch):
    def fail(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(pinned_http, "_lookup", fail)
    msg = error_of(fetch_url, "https://no-such-host.example/data.csv", timeout=2)
    assert msg.startswith("could not reach no-such-host.example (the server name could not be "
                          "resolved): the machine may be offline")


# --------------------------------------------------------------------------- https


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for PUBLIC_HOST (cert, key paths)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", f"/CN={PUBLIC_HOST}", "-addext", f"subjectAltName=DNS:{PUBLIC_HOST}",
                        "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("openssl cannot make a test certificate here")
    return cert, key


@pytest.fixture
def tls_port(certificate, monkeypatch):
    cert, key = certificate
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    httpd, thread = _serve(PUBLIC_IP, wrap=lambda s: server_ctx.wrap_socket(s, server_side=True))

    def trusting() -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        ctx.load_verify_locations(cert)
        return ctx

    monkeypatch.setattr(pinned_http, "_tls_context", trusting)
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_https_checks_the_certificate_of_the_host_name(as_public, tls_port):
    assert fetch_url(f"https://{PUBLIC_HOST}:{tls_port}/data.csv", timeout=5) == CSV_BODY


def test_https_with_a_certificate_for_another_name_is_refused(monkeypatch, tls_port):
    other = "other.example.org"
    kind = netguard.address_kind
    monkeypatch.setattr(pinned_http, "_lookup", lambda host, port: [ipaddress.ip_address(PUBLIC_IP)])
    monkeypatch.setattr(netguard, "address_kind", lambda ip: None if str(ip) == PUBLIC_IP else kind(ip))
    msg = error_of(fetch_url, f"https://{other}:{tls_port}/data.csv", timeout=5)
    assert msg.startswith(f"the secure connection to {other} failed (")
    assert "its certificate may be invalid" in msg


# --------------------------------------------------------------------------- bad links (#13.10)


@pytest.mark.parametrize("url, expected", [
    ("http://[::1/x.csv", "is not a valid address: a [ opens an IPv6 address but no ] closes it."),
    ("http://::1]/x.csv", "is not a valid address: a ] closes an IPv6 address that no [ opens."),
    ("http://[zz]/x.csv", "is not a valid address: the part in [ ] is not an IPv6 address."),
    ("http://example.org:99999/x.csv", "has the port '99999': a port is a whole number from 1 to 65535"),
    ("http://example.org:abc/x.csv", "has the port 'abc': a port is a whole number"),
    ("http://example.org:0/x.csv", "has the port 0: a port is a whole number from 1 to 65535"),
    ("http://bad..name/x.csv", "names the server 'bad..name', which is not a valid domain name"),
    ("http:///x.csv", "names no server: use a full address such as https://example.org/data.csv."),
])
def test_malformed_links_say_what_is_wrong_with_the_link(url, expected, no_connect):
    msg = error_of(fetch_url, url)
    assert msg.startswith(f"the link {url!r} ")
    assert expected in msg
    assert "please report" not in msg and "CSV table" not in msg


def test_long_links_are_quoted_short(no_connect):
    url = "http://[" + "1" * 10_000 + "/x.csv"
    msg = error_of(fetch_url, url)
    assert "(10,014 characters)" in msg and len(msg) < 300


def test_unexpected_failures_talk_about_the_link(monkeypatch):
    def boom(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(pinned_http, "resolve", boom)
    with pytest.raises(fetch.UnexpectedLinkError) as info:
        fetch_url("http://example.org/data.csv")
    msg = str(info.value)
    assert msg.startswith("could not download the link (KeyError: \"'surprise'\"). Check the link")
    assert "CSV table" not in msg


# --------------------------------------------------------------------------- policy


def test_fetch_rate_limit_per_minute():
    history: list[float] = []
    for second in range(MAX_LINK_FETCHES_PER_MINUTE):
        history = fetch.check_fetch_rate(history, now=100.0 + second)
    msg = error_of(fetch.check_fetch_rate, history, now=115.0)
    assert msg == (f"at most {MAX_LINK_FETCHES_PER_MINUTE} links can be loaded per minute: wait "
                   "45 s, then press Load again (or download the file and upload it).")
    assert fetch.check_fetch_rate(history, now=160.0)[-1] == 160.0  # the first one has expired


@pytest.mark.parametrize("value, allowed", [("1", True), ("true", True), (" YES ", True), ("0", False),
                                            ("", False), ("maybe", False), (None, False)])
def test_private_links_setting(value, allowed):
    env = {} if value is None else {netguard.ALLOW_PRIVATE_ENV: value}
    assert netguard.allow_private_from_env(env) is allowed


# --------------------------------------------------------------------------- the CLI


def test_cli_refuses_a_fifo_at_once(tmp_path):
    """#13.2: ``--csv`` naming a FIFO used to block in open() forever (nobody writes to it)."""
    from tests.core.conftest import run_cli

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    proc = run_cli("train", "--csv", str(fifo), "--target", "y", timeout=60)  # a hang fails here
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (f"error: --csv: {quote(str(fifo))} is a named pipe (FIFO), not a "
                                   "regular file: save the table to a file and give its path.")


@pytest.mark.parametrize("path, kind", [("/dev/zero", "a device"), ("/dev/null", "a device")])
def test_cli_refuses_devices(monkeypatch, path, kind):
    from tests.core.test_cli import _no_training, _one_error

    if not os.path.exists(path):
        pytest.skip(f"no {path} here")
    _no_training(monkeypatch)
    line = _one_error(*cli_main("train", "--csv", path, "--target", "y"))
    assert line == f"error: --csv: {path!r} is {kind}, not a regular file: save the table to a file " \
                   "and give its path."


def test_cli_refuses_a_truncated_download(monkeypatch, server):
    from tests.core.test_cli import _no_training, _one_error

    _no_training(monkeypatch)
    line = _one_error(*cli_main("train", "--url", f"{server}/truncated", "--target", "value", "--json"))
    assert line == (f"error: the download stopped after 999 of 1,642 bytes ({server}/truncated "
                    "closed the connection early); try again, or download the file and upload it.")


def test_cli_reads_local_links_unless_public_links_only(monkeypatch, listener):
    from tests.core.test_cli import _no_training, _one_error

    _no_training(monkeypatch)
    monkeypatch.setattr("rnn_core.cli_inputs.URL_TIMEOUT", 0.3)
    url = f"http://localhost:{listener.port}/x.csv"
    line = _one_error(*cli_main("train", "--url", url, "--target", "y", "--public-links-only"))
    assert line.startswith("error: the link's server localhost (")
    assert PRIVATE_REFUSED in line and listener.connections() == 0
    # without the flag the CLI connects (and here waits for an answer that never comes)
    line = _one_error(*cli_main("train", "--url", url, "--target", "y"))
    assert "did not answer within 0.3 s" in line and listener.connections() == 1


def test_cli_help_says_why_local_links_are_allowed():

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli_main("train", "--help")
    text = " ".join(out.getvalue().split())
    assert ("--public-links-only refuse --url links to this machine or its networks (localhost, "
            "private, link-local addresses), as the web app does for its visitors. Without it "
            "they are allowed: you run the CLI yourself") in text
