"""The client's IP address, read from X-Forwarded-For only when the direct peer is a proxy we trust.

Behind nginx or a load balancer every request arrives from the proxy's address, so lockouts and
rate limits keyed on REMOTE_ADDR would lock out everyone at once. Trusting X-Forwarded-For from
anyone would let a client choose its own address. So: list the proxies in
HELPWANTED_TRUSTED_PROXIES (addresses or networks), and only a request whose REMOTE_ADDR is one of
them has its X-Forwarded-For read, right to left, skipping further trusted proxies.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """ "10.0.0.1, 192.168.0.0/16" -> networks; a bad entry raises ValueError naming it."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(
                f"HELPWANTED_TRUSTED_PROXIES holds {entry!r}, which is not an IP address or network"
            ) from exc
    return tuple(networks)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]
) -> bool:
    return any(address.version == net.version and address in net for net in trusted)


def client_ip(remote_addr: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The address of the client, as the nearest untrusted hop sees it."""
    peer = _ip(remote_addr)
    if peer is None or not _trusted(peer, trusted):
        return remote_addr
    nearest = remote_addr
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        address = _ip(hop)
        if address is None:
            return nearest  # garbage a client wrote: stop at the last hop we can vouch for
        if not _trusted(address, trusted):
            return str(address)
        nearest = str(address)
    return nearest


@cache
def _settings_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def request_client_ip(request: HttpRequest) -> str:
    """For django-axes (AXES_CLIENT_IP_CALLABLE), the rate limits and the login log."""
    from django.conf import settings

    trusted = _settings_networks(tuple(settings.TRUSTED_PROXIES))
    return client_ip(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), trusted
    )
