"""Which provider callbacks are listened to: from the provider's published addresses, and
no more often than a limit per address (SECURITY.md, "Staff and API clients"; ADR 0053).

The limit is kept in the process, not in the database: it exists to keep a flood from
costing the portal anything, so a refusal must cost nothing either — no write, no lock.
"""

from __future__ import annotations

import enum
import ipaddress
import threading
from collections import OrderedDict
from collections.abc import Iterable

import attrs

from lk_core.kernel.errors import InvalidValue

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACK: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
TRACKED_SOURCES = 4096  # addresses whose rate is remembered; the idlest are forgotten first


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Networks from CIDR texts (`185.71.76.0/27`, a bare address); a bad one is refused."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise InvalidValue(
                "callback_sources", entry, f"«{entry}» — не адрес и не сеть CIDR"
            ) from None
    return tuple(networks)


class Admission(enum.Enum):
    ADMITTED = "admitted"
    FOREIGN = "foreign"  # not from an address the provider sends from
    THROTTLED = "throttled"  # from such an address, but more often than the limit


@attrs.define
class _Bucket:
    tokens: float
    at: float


class CallbackGate:
    """Admits a callback from an allowed network, `per_minute` per address at most.

    Each address has a bucket of `per_minute` tokens refilled evenly over a minute, so a
    burst up to the limit passes and a steady flood is held to it. Only admitted
    addresses are tracked, at most `TRACKED_SOURCES` of them. With no networks, nothing
    is admitted.
    """

    def __init__(self, networks: Iterable[Network] = (), per_minute: int = 120) -> None:
        if per_minute < 1:
            raise InvalidValue("callback_rate", per_minute, "Не меньше одного в минуту")
        self.networks = tuple(networks)
        self.per_minute = per_minute
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def allows(self, address: str) -> bool:
        """Whether the address lies in an allowed network (an unreadable one does not)."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in network for network in self.networks)

    def admit(self, address: str, now: float) -> Admission:
        """Whether to listen to a callback from `address`; `now` is monotonic seconds."""
        if not self.allows(address):
            return Admission.FOREIGN
        with self._lock:
            bucket = self._buckets.pop(address, None) or _Bucket(float(self.per_minute), now)
            refill = (now - bucket.at) * self.per_minute / 60
            bucket.tokens = min(float(self.per_minute), bucket.tokens + max(0.0, refill))
            bucket.at = now
            self._buckets[address] = bucket  # most recently seen last
            while len(self._buckets) > TRACKED_SOURCES:
                self._buckets.popitem(last=False)
            if bucket.tokens < 1:
                return Admission.THROTTLED
            bucket.tokens -= 1
            return Admission.ADMITTED
