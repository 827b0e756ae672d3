"""Rate limits per API client, counted in the Redis cache.

When Redis is down the limit is not enforced (fail open): placing and ending signals protects youths and
must not stop because a cache is away; clients still need a valid secret (django-redis logs the outage).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiClient


class ApiClientThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        # django-redis returns None instead of raising when Redis is unreachable (IGNORE_EXCEPTIONS); the
        # request then counts as the first of its window and the set below fails silently: fail open
        self.history = self.cache.get(self.key) or []
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()


class ApiPlaceThrottle(ApiClientThrottle):
    scope = "api_place"

    def get_rate(self):
        return settings.API_PLACE_THROTTLE_RATE
