"""Who is asking: the client's address behind trusted proxies, and the keyed hash of it that
every limit counts by (comment flood control, admin sign-in lockouts, saved recommendations).

The address itself is never stored: only `hash_ip()`'s keyed hash, of the network for IPv6.
"""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac

# The salt the hashes were first made with, when only comments used them: changing it would
# reset every count and every "same network" check on stored comments.
HASH_SALT = "blog.comments.ip"


def client_ip(meta, trusted_proxy_count=None) -> str:
    """The client's address: REMOTE_ADDR, unless trusted proxies put it in X-Forwarded-For.

    Each proxy appends the address it received the request from, so with N trusted proxies
    the client is the N-th entry from the right; anything further left was written by the
    client itself and may be forged, so it never decides who is rate-limited.
    """
    if trusted_proxy_count is None:
        trusted_proxy_count = settings.TRUSTED_PROXY_COUNT
    remote = meta.get("REMOTE_ADDR", "")
    if trusted_proxy_count > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted_proxy_count:
            candidate = forwarded_address(forwarded[-trusted_proxy_count])
            if candidate:
                return candidate
    return remote


def forwarded_address(entry: str) -> str:
    """The address in one X-Forwarded-For entry, or "" if it holds none.

    Proxies may add the client's port: `203.0.113.7:4711`, or for IPv6 in brackets
    `[2001:db8::1]:443` (RFC 7239's form, which some proxies use here too). Anything else that
    is not an address (a name, a bad port, a lone bracket) is "", so the proxy's own address
    is used instead.
    """
    host, port = entry, None
    if entry.startswith("["):
        host, bracket, rest = entry[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return ""
        port = rest[1:] if rest else None
    elif entry.count(":") == 1:  # IPv4 and a port (a bare IPv6 address has two or more)
        host, port = entry.split(":")
    if port is not None and not _is_port(port):
        return ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ""
    if entry.startswith("[") and address.version != 6:
        return ""
    return str(address)


def _is_port(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= 65535


def hash_ip(ip: str) -> str:
    """A keyed hash of the address, so the database never holds the address itself.

    An IPv6 client usually owns a whole /64, so the network is hashed, not the address:
    otherwise one machine could rotate through addresses to escape the limits.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.version == 6:
        key = str(ipaddress.ip_network(f"{address}/64", strict=False))
    else:
        key = str(address)
    secret = settings.IP_HASH_KEY or None
    return salted_hmac(HASH_SALT, key, secret=secret, algorithm="sha256").hexdigest()


def client_hash(request) -> str:
    """The keyed hash of the network this request came from."""
    return hash_ip(client_ip(request.META))


def pseudonymous_address(request) -> str:
    """A stand-in address for a library that must store an IP address (django-axes): made
    from the keyed hash, in the private fd00::/8 range, so the same client always has the
    same one and no one can tell its real address from it."""
    digest = client_hash(request) or hash_ip("0.0.0.0")
    return str(ipaddress.IPv6Address((0xFD << 120) | int(digest[:30], 16)))
