"""A process's own cache of immutable objects: Django's local-memory cache without its pickling
and key checks.

LocMemCache pickles every value on the way in and out, so that a caller changing what it got
cannot change what is stored, and checks every key for characters memcached would refuse.
The page cache stores frozen pages under keys it makes itself (hex digests), so both are pure
cost on the path every cached page takes: a page of 40 KB unpickled per hit, and a loop over
each key's characters.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class ImmutableMemoryCache(LocMemCache):
    def get(self, key, default=None, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False
