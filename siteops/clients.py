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
            candidate = forwarded[-trusted_proxy_count]
            if _is_ip(candidate):
                return candidate
    return remote


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


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
