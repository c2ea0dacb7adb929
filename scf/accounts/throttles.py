"""Rate limits of the sign-in endpoints (session login and token), per client address and per
username whatever the address. Rates come from SCF_AUTH_THROTTLE_RATES, read on each request so
that a deployment (or a test) can change them."""

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _AuthThrottle(SimpleRateThrottle):
    scope = ""

    def get_rate(self):
        return settings.SCF_AUTH_THROTTLE_RATES[self.scope]

    def __init__(self):
        # SimpleRateThrottle reads its rate once at construction: one throttle per request.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)


class AuthIpThrottle(_AuthThrottle):
    scope = "auth_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AuthUsernameThrottle(_AuthThrottle):
    """Keyed on a hash of the lower-cased username, whether or not such a user exists."""

    scope = "auth_username"

    def get_cache_key(self, request, view):
        data = request.data if hasattr(request.data, "get") else {}
        username = data.get("username")
        if not isinstance(username, str) or not username:
            return None
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


AUTH_THROTTLES = [AuthIpThrottle, AuthUsernameThrottle]
