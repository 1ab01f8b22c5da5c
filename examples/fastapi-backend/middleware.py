"""Cross-cutting HTTP behaviour, as Starlette middleware: request ids and security headers,
rate limiting with X-RateLimit-* headers and 429 + Retry-After ("Rate Limiting"), and a
request body cap for uploads ("File Uploads": 10 MB).
"""
from __future__ import annotations

import math
import re
import time
import uuid
from collections import deque
from typing import Deque, Dict, Tuple

from starlette.datastructures import Headers
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth import TokenTable, bearer_token
from errors import error_response

# Paths that are not API surface: load balancers and people reading the docs.
UNMETERED = {"/health", "/ready", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
DOCS_UI = {"/docs", "/docs/oauth2-redirect", "/redoc"}

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# FastAPI's Swagger UI page loads its script and styles from jsDelivr and starts with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "frame-ancestors 'none'"
)
CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


class RequestContextMiddleware(BaseHTTPMiddleware):
    """X-Request-ID on every response (a client's own id is echoed when it looks like one)
    and the security headers, on errors too."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        sent = request.headers.get("x-request-id", "")
        request_id = sent if CLIENT_REQUEST_ID.match(sent) else str(uuid.uuid4())
        request.state.request_id = request_id
        response = await call_next(request)
        headers = response.headers
        headers["X-Request-ID"] = request_id
        headers["Content-Security-Policy"] = DOCS_CSP if request.url.path in DOCS_UI else API_CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers.setdefault("Cache-Control", "no-store")
        if request.url.scheme == "https":
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


class SlidingWindow:
    """At most `limit` requests in any `window_s` seconds per key (a sliding log)."""

    def __init__(self, limit: int, window_s: int) -> None:
        self.limit = limit
        self.window_s = window_s
        self._log: Dict[str, Deque[float]] = {}

    def hit(self, key: str, now: float) -> Tuple[bool, int, float]:
        """(allowed, remaining, when the oldest counted request leaves the window).
        A refused request is not counted."""
        log = self._log.setdefault(key, deque())
        while log and log[0] <= now - self.window_s:
            log.popleft()
        allowed = len(log) < self.limit
        if allowed:
            log.append(now)
        return allowed, self.limit - len(log), log[0] + self.window_s


class RateLimitMiddleware(BaseHTTPMiddleware):
    """Per token (or per client address when unauthenticated), with X-RateLimit-* on every
    API response and 429 + Retry-After in the error envelope past the limit."""

    def __init__(self, app: ASGIApp, tokens: TokenTable, limit: int, anonymous_limit: int, window_s: int) -> None:
        super().__init__(app)
        self.tokens = tokens
        self.authenticated = SlidingWindow(limit, window_s)
        self.anonymous = SlidingWindow(anonymous_limit, window_s)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path in UNMETERED or request.method == "OPTIONS":
            return await call_next(request)
        token = bearer_token(request.headers.get("authorization"))
        principal = self.tokens.lookup(token) if token else None
        if principal and not principal.expired():
            window, key = self.authenticated, f"{principal.org_id}/{principal.subject}"
        else:
            window, key = self.anonymous, f"ip:{request.client.host if request.client else '?'}"
        now = time.time()
        allowed, remaining, frees_at = window.hit(key, now)
        headers = {
            "X-RateLimit-Limit": str(window.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(math.ceil(frees_at)),  # epoch seconds
            "X-RateLimit-Window": str(window.window_s),
        }
        if not allowed:
            retry_after = min(window.window_s, max(1, math.ceil(frees_at - now)))  # never past the window
            return error_response(
                429, "RATE_LIMITED", f"Rate limit exceeded. Try again in {retry_after} seconds.",
                {"retry_after": retry_after, "limit": window.limit, "window_s": window.window_s},
                {**headers, "Retry-After": str(retry_after)},
            )
        response = await call_next(request)
        response.headers.update(headers)
        return response


class PayloadTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """413 for request bodies over `max_bytes`: at once when Content-Length says so, else as
    soon as the bytes received pass it (chunked uploads). Uvicorn discards the rest."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self.too_large(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise PayloadTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            # FastAPI turns a failed body read into a 400; the real answer is the 413 below.
            if not exceeded:
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except PayloadTooLarge:
            pass
        if exceeded:
            await self.too_large(scope, receive, send)

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, "PAYLOAD_TOO_LARGE", "The request body is too large",
            {"max_request_bytes": self.max_bytes},
        )
        await response(scope, receive, send)
