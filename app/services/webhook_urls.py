"""Which webhook URLs HireDay will call: the one rule, used when staff save a URL and again at
every delivery (a host name may point somewhere else by then).

A partner's URL is an address our own server connects to, so an attacker who can set one would
otherwise make HireDay call its private network: the cloud metadata service (169.254.169.254),
the database on 10.x, the admin page on ::1 (server-side request forgery). Only public internet
addresses are called unless ``WEBHOOK_ALLOW_PRIVATE_URLS`` is on (tests, a developer's laptop);
only https unless ``WEBHOOK_ALLOW_HTTP`` is on. A delivery connects to the very address that was
checked, so a name that resolves to a public address for the check and a private one for the
connection (DNS rebinding) gains nothing."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.services.errors import DomainError

MAX_LENGTH = 500


@dataclass(frozen=True)
class Target:
    """A URL taken apart for a connection: where to connect, and what to ask for there."""

    scheme: str
    host: str
    port: int
    #: Path and query, as sent in the request line.
    path: str


@dataclass(frozen=True)
class Policy:
    allow_private: bool = False
    allow_http: bool = False


def parse(url: str, policy: Policy) -> Target:
    """``url`` taken apart, or a ``DomainError`` on the ``url`` field saying what is wrong with it."""
    url = (url or "").strip()
    if not url:
        raise DomainError("url_required", "Enter the URL the partner's system listens on.", field="url")
    if len(url) > MAX_LENGTH:
        raise DomainError("url_too_long", f"A webhook URL has at most {MAX_LENGTH} characters.", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise DomainError(
            "url_invalid", "That is not a URL (https://example.org/hooks).", field="url"
        ) from None
    allowed = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in allowed:
        raise DomainError("url_scheme", "The URL must start with https://.", field="url")
    if not parts.hostname:
        raise DomainError("url_invalid", "That is not a URL (https://example.org/hooks).", field="url")
    if parts.username is not None or parts.password is not None:
        raise DomainError(
            "url_credentials",
            "Leave the user name and password out of the URL; every delivery is signed.",
            field="url",
        )
    if parts.fragment:
        raise DomainError("url_fragment", "Leave the #fragment out of the URL.", field="url")
    host = parts.hostname
    literal = _literal_address(host)
    if literal is not None and not policy.allow_private and not is_public(literal):
        raise _private_address()
    if literal is None and not policy.allow_private and _is_local_name(host):
        raise _private_address()
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def resolve(target: Target, policy: Policy) -> list[str]:
    """The addresses to connect to for ``target``, each allowed by ``policy``. Raises
    ``DomainError("unresolvable")`` or ``DomainError("blocked_address")``."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise DomainError("unresolvable", "The URL's host name does not resolve.", field="url") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not policy.allow_private and not all(
        is_public(ipaddress.ip_address(a.split("%")[0])) for a in addresses
    ):
        raise _private_address()  # one private address among several is enough to refuse the name
    return addresses


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A global unicast address: not private, loopback, link-local, shared (100.64/10), reserved,
    multicast or unspecified, also when written as an IPv4-mapped IPv6 address (::ffff:10.0.0.1)."""
    if isinstance(address, ipaddress.IPv6Address):
        for embedded in (address.ipv4_mapped, address.sixtofour):
            if embedded is not None:
                return is_public(embedded)
        if address.teredo is not None:
            return False
    return address.is_global and not address.is_multicast


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    try:  # 2130706433, 0x7f.1, 127.1: forms the resolver reads as addresses
        return ipaddress.ip_address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def _is_local_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith((".localhost", ".local", ".internal")) or "." not in name


def _private_address() -> DomainError:
    return DomainError(
        "blocked_address",
        "That URL points to a private, loopback or link-local address; "
        "webhooks go to the partner's public server.",
        field="url",
    )


def current_policy() -> Policy:
    """What this installation allows (``WEBHOOK_ALLOW_PRIVATE_URLS``, ``WEBHOOK_ALLOW_HTTP``)."""
    from flask import current_app

    return Policy(
        allow_private=bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE_URLS")),
        allow_http=bool(current_app.config.get("WEBHOOK_ALLOW_HTTP")),
    )
