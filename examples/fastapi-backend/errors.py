"""The error envelope of the Backend API Conventions ("Error Responses"):

    {"error": {"code": "SESSION_NOT_FOUND", "message": "...", "details": {...}}}

FastAPI answers every error with {"detail": ...} out of the box: HTTPException, its own
404/405 for unknown routes and methods, and {"detail": [...]} for validation errors.
`install_error_handlers` replaces those bodies with the envelope.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

logger = logging.getLogger("sessions.errors")


class ApiError(HTTPException):
    """An HTTPException with a machine-readable code and details.

    With the envelope handlers installed it renders as the envelope; without them FastAPI
    renders it as {"detail": message}, which is what FASTAPI_DEFAULTS=1 shows.
    """

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        details: Optional[Dict[str, Any]] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.code = code
        self.details = details or {}


class ErrorBody(BaseModel):
    """Code, message and details of an error."""

    code: str = Field(..., description="Machine-readable error code in UPPER_SNAKE_CASE.", example="SESSION_NOT_FOUND")
    message: str = Field(..., description="What went wrong, for people.", example="Session 3f2a… not found")
    details: Dict[str, Any] = Field(
        default_factory=dict,
        description="Context: the offending fields of a validation error, the id that was not found, limits.",
        example={"session_id": "3f2a0c4e-5b7d-4e8f-9a1b-2c3d4e5f6a7b"},
    )


class ErrorEnvelope(BaseModel):
    """Every 4xx and 5xx response has this body."""

    error: ErrorBody = Field(..., description="The error.")


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: Optional[Dict[str, Any]] = None,
    headers: Optional[Dict[str, str]] = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return JSONResponse(status_code=status_code, content=jsonable_encoder(body), headers=headers)


# Codes for the errors Starlette and FastAPI raise themselves (routing, parsing).
DEFAULT_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_FAILED",
    429: "RATE_LIMITED",
}


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc, ApiError):
        return error_response(exc.status_code, exc.code, str(exc.detail), exc.details, exc.headers)
    code = DEFAULT_CODES.get(exc.status_code, "HTTP_ERROR")
    path = request.url.path if len(request.url.path) <= 200 else request.url.path[:200] + "…"
    if exc.status_code == 404 and request.method == "TRACE":
        # TRACE is refused everywhere, not only on paths that exist.
        return error_response(405, "METHOD_NOT_ALLOWED", "TRACE is not allowed")
    if exc.status_code == 404:
        message = f"No route matches {request.method} {path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {path}"
        # Starlette's Allow names the first route matching the path only; list them all.
        return error_response(405, code, message, headers={"Allow": ", ".join(allowed_methods(request))})
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


def allowed_methods(request: Request) -> list:
    methods = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "value_error.jsondecode" for e in errors):
        # FastAPI reports broken JSON as a 422; it is a malformed request (400).
        return error_response(400, "MALFORMED_JSON", "The request body is not valid JSON")
    fields = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors]
    names = ", ".join(".".join(str(p) for p in f["loc"]) for f in fields)
    return error_response(422, "VALIDATION_FAILED", f"Request validation failed: {names}", {"fields": fields})


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Never expose internals ("Authentication & Authorization"): log them, answer generically.
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "INTERNAL_ERROR", "An unexpected error occurred")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)


# Documented on every /v1 operation, so the OpenAPI document says what errors look like.
ERROR_RESPONSES: Dict[int, Dict[str, Any]] = {
    400: {"model": ErrorEnvelope, "description": "Malformed request (e.g. broken JSON)"},
    401: {"model": ErrorEnvelope, "description": "Missing, invalid or expired bearer token"},
    403: {"model": ErrorEnvelope, "description": "The token lacks the scope this operation needs"},
    404: {"model": ErrorEnvelope, "description": "No such session (or it belongs to another organisation)"},
    422: {"model": ErrorEnvelope, "description": "Validation failed; `error.details.fields` names the fields"},
    429: {"model": ErrorEnvelope, "description": "Rate limit exceeded; see Retry-After"},
}
