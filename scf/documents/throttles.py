"""Rate limit of the anonymous verification endpoints (the page a QR code opens and the file
check), per client address: anyone may ask, nobody may hash files or walk references without
bound. The rate (SCF_DOCUMENTS_VERIFY_RATE) is read on each request, so a test can change it."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from scf.errors import ApplicationError


class VerifyIpThrottle(SimpleRateThrottle):
    scope = "document_verify"

    def get_rate(self):
        return settings.SCF_DOCUMENTS_VERIFY_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TooManyVerificationsError(ApplicationError):
    status_code = 429
    code = "throttled"


MSG_THROTTLED = ("验真请求过于频繁，请稍后再试 / Too many verification requests: please try "
                 "again shortly")


class VerifyThrottled:
    """Mixin of the anonymous verification views: throttled per address, 429 in the one error
    shape with the seconds to wait."""

    throttle_classes = [VerifyIpThrottle]

    def throttled(self, request, wait):
        raise TooManyVerificationsError(
            MSG_THROTTLED,
            extra={"retry_after_seconds": int(wait) + 1 if wait is not None else None})
