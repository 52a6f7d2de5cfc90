"""Which addresses a link may reach from a shared server (OWASP's "SSRF prevention").

A link is typed by a visitor but fetched by the server, so the server must not become the
visitor's way into its own network: unless the owner allows it (``allow_private_from_env``),
every address a link's host resolves to must be public. Loopback, private, link-local (the
cloud metadata address 169.254.169.254), carrier-grade NAT, multicast, reserved and
unspecified addresses, and IPv6 forms embedding such an IPv4 address, are refused before any
connection is made (``check_addresses``). Numeric host spellings (``2130706433``,
``0177.0.0.1``, ``0x7f.1``, ``0``) are read the way the C library reads them
(``ipv4_spelling``), so the check does not depend on it.

>>> ipv4_spelling("0x7f.1"), ipv4_spelling("example.org")
(IPv4Address('127.0.0.1'), None)
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import Mapping, Sequence

from .errors import QUOTE_LIMIT, RnnExplorerError

__all__ = ["ALLOW_PRIVATE_ENV", "PRIVATE_REFUSED", "Address", "address_kind", "allow_private_from_env",
           "check_addresses", "cut", "ipv4_spelling"]

ALLOW_PRIVATE_ENV = "RNN_EXPLORER_ALLOW_PRIVATE_LINKS"
PRIVATE_REFUSED = "links to this server's own network are not allowed here"
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# inet_aton's numbers: 0x hex, 0 octal, else decimal
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def allow_private_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the server owner allows links to private networks (``ALLOW_PRIVATE_ENV`` set to
    1, true or yes); anything else, including a typo, keeps them refused."""
    value = (os.environ if environ is None else environ).get(ALLOW_PRIVATE_ENV, "")
    return value.strip().lower() in ("1", "true", "yes")


def address_kind(ip: Address) -> str | None:
    """Why ``ip`` is refused (a few words for the message), or None for a public address.

    >>> address_kind(ipaddress.ip_address("169.254.169.254"))
    'a link-local address (where cloud servers keep their metadata)'
    >>> address_kind(ipaddress.ip_address("::ffff:10.0.0.1"))
    'an IPv6 form of 10.0.0.1, a private-network address'
    >>> address_kind(ipaddress.ip_address("93.184.215.14")) is None
    True
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner = address_kind(embedded)
            if inner is not None:
                return f"an IPv6 form of {embedded}, {inner}"
            if ip.ipv4_mapped is not None or ip in _IPV4_COMPATIBLE:
                # old spellings a socket may still connect to; no public server needs them
                return f"an IPv6 form of {embedded}, an address spelling no public server needs"
    if ip.is_unspecified:
        return "the unspecified address (it means this server itself)"
    if ip.is_loopback:
        return "a loopback address (this server itself)"
    if ip.is_link_local:
        return "a link-local address (where cloud servers keep their metadata)"
    if ip.is_multicast:
        return "a multicast address"
    if ip in _CGNAT:
        return "a carrier-grade NAT address (a provider's internal network)"
    if ip.is_reserved:
        return "a reserved address"
    if any(ip in net for net in _PRIVATE_NETWORKS):
        return "a private-network address"
    if ip.is_private or not ip.is_global:  # e.g. documentation and benchmarking ranges
        return "a reserved address"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, -compatible, NAT64, 6to4 or Teredo address."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:  # ::a.b.c.d (not :: or ::1)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def ipv4_spelling(host: str) -> ipaddress.IPv4Address | None:
    """The address of a numeric host as ``inet_aton`` reads it (``2130706433``, ``0177.0.0.1``,
    ``0x7f.1``, ``127.1``, ``0``), or None for a name. Read here rather than by the resolver so
    the check does not depend on the C library."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    numbers = [int(p[2:] or "0", 16) if p[:2].lower() == "0x" else int(p, 8) if p[0] == "0"
               else int(p) for p in parts]
    last_bits = 8 * (5 - len(numbers))  # the last number fills the remaining bytes
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 1 << last_bits:
        return None
    value = 0
    for n in numbers[:-1]:
        value = value << 8 | n
    return ipaddress.IPv4Address(value << last_bits | numbers[-1])


def check_addresses(host: str, url: str, addresses: Sequence[Address], redirected: bool) -> None:
    """Refuse the link if any address of its ``host`` is not public: a resolver that answers
    with a public and a private address must not get the private one connected to."""
    for ip in addresses:
        kind = address_kind(ip)
        if kind is None:
            continue
        # a name or an unusual spelling is shown with the address it stands for
        where = host if host == str(ip) or ":" in host else f"{host} ({ip})"
        lead = f"the link redirects to {cut(url)}, and " if redirected else "the link's server "
        raise RnnExplorerError(
            f"{lead}{where} is {kind}: {PRIVATE_REFUSED}. Download the file and upload it "
            "instead.", field="url")


def cut(text: str) -> str:
    """A link (or a server's words) for a message, cut to about ``QUOTE_LIMIT`` characters."""
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "…"
