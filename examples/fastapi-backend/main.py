"""Sessions API: a small FastAPI service written to the Backend API Conventions.

Run it (Debian: apt-get install python3-fastapi python3-uvicorn):

    export API_TOKENS='{"dev-token": {"org_id": "org-a", "subject": "dev", "scopes": ["sessions:read", "sessions:write"]}}'
    python3 -m uvicorn main:app --app-dir examples/fastapi-backend --host 127.0.0.1 --port 8000 --no-server-header

FASTAPI_DEFAULTS=1 switches off the fixes for what FastAPI (and the guideline's own
snippets) get wrong out of the box, so the harness can show the difference:
  - error bodies stay FastAPI's {"detail": ...} instead of the error envelope;
  - HTTPBearer answers a missing token 403 "Not authenticated" instead of 401 + WWW-Authenticate;
  - timestamps come from datetime.utcnow() (as in the guideline) and serialise without an offset;
  - the OpenAPI document lists only FastAPI's automatic 422, not the errors the API really returns.
"""
from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, FastAPI, File, Path, Query, Request, Response, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, StrictStr

from auth import READ, WRITE, Principal, TokenTable
from errors import ERROR_RESPONSES, ApiError, ErrorEnvelope, install_error_handlers
from middleware import BodySizeLimitMiddleware, RateLimitMiddleware, RequestContextMiddleware

FIX_DEFAULTS = os.environ.get("FASTAPI_DEFAULTS") != "1"
ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("CORS_ALLOWED_ORIGINS", "https://console.example.com").split(",") if o.strip()]
RATE_LIMIT = int(os.environ.get("RATE_LIMIT", "600"))
RATE_LIMIT_ANONYMOUS = int(os.environ.get("RATE_LIMIT_ANONYMOUS", "300"))
RATE_WINDOW_S = int(os.environ.get("RATE_LIMIT_WINDOW_S", "60"))
UPLOAD_MAX_BYTES = 10_000_000  # "File Uploads": 10 MB
UPLOAD_TYPES = {"application/json"}

logger = logging.getLogger("sessions")


def utcnow() -> datetime:
    # The guideline's datetime.utcnow() is naive: FastAPI then emits no offset (not RFC 3339).
    return datetime.now(timezone.utc) if FIX_DEFAULTS else datetime.utcnow()


# --- Schemas ("Request/Response"; descriptions and examples per "API Documentation") ---


class SessionCreate(BaseModel):
    """Request to create (or fully replace) a session."""

    name: StrictStr = Field(..., min_length=1, max_length=255, description="Human-readable session name", example="nginx-deployment")
    metadata: Dict[str, Any] = Field(default_factory=dict, description="Free-form JSON object", example={"team": "platform"})

    class Config:
        schema_extra = {"example": {"name": "nginx-deployment", "metadata": {"team": "platform"}}}


class SessionPatch(BaseModel):
    """Partial update: only the fields sent change."""

    name: Optional[StrictStr] = Field(None, min_length=1, max_length=255, description="New session name", example="nginx-canary")
    metadata: Optional[Dict[str, Any]] = Field(None, description="Replaces the metadata object", example={"team": "sre"})

    class Config:
        schema_extra = {"example": {"name": "nginx-canary"}}


class SessionResponse(BaseModel):
    """A session."""

    id: UUID = Field(..., description="Session id")
    name: str = Field(..., description="Human-readable session name", example="nginx-deployment")
    status: str = Field(..., description="Lifecycle status", example="active")
    metadata: Dict[str, Any] = Field(..., description="Free-form JSON object")
    org_id: str = Field(..., description="Organisation that owns the session (from the token)")
    has_recording: bool = Field(..., description="Whether a recording was uploaded")
    created_at: datetime = Field(..., description="When the session was created (RFC 3339)")
    updated_at: datetime = Field(..., description="When the session last changed (RFC 3339)")


class SessionPage(BaseModel):
    """One page of sessions, oldest first ("Pagination")."""

    items: List[SessionResponse] = Field(..., description="Sessions on this page")
    total: int = Field(..., description="Sessions in the whole collection")
    page: int = Field(..., description="This page's number, from 1")
    page_size: int = Field(..., description="Most items a page holds")
    has_more: bool = Field(..., description="Whether a later page has items")


class RecordingResponse(BaseModel):
    """An uploaded recording."""

    session_id: UUID = Field(..., description="Session the recording belongs to")
    content_type: str = Field(..., description="Media type of the recording", example="application/json")
    size_bytes: int = Field(..., description="Size of the recording in bytes")
    uploaded_at: datetime = Field(..., description="When it was uploaded (RFC 3339)")


class Health(BaseModel):
    """Liveness of the process."""

    status: str = Field(..., description="`healthy` when the process serves requests", example="healthy")
    timestamp: datetime = Field(..., description="Server time (RFC 3339)")


class Readiness(BaseModel):
    """Readiness to serve: dependencies answer."""

    status: str = Field(..., description="`ready` when dependencies answer", example="ready")


# --- Repository (the guideline's repository pattern; swap in SQLAlchemy here) ---


class SessionRepository:
    """In-memory sessions per organisation, in creation order."""

    def __init__(self) -> None:
        self._by_org: Dict[str, "OrderedDict[UUID, Dict[str, Any]]"] = {}

    def _org(self, org_id: str) -> "OrderedDict[UUID, Dict[str, Any]]":
        return self._by_org.setdefault(org_id, OrderedDict())

    def page(self, org_id: str, offset: int, limit: int) -> Tuple[List[Dict[str, Any]], int]:
        items = list(self._org(org_id).values())
        return items[offset:offset + limit], len(items)

    def create(self, org_id: str, name: str, metadata: Dict[str, Any]) -> Dict[str, Any]:
        now = utcnow()
        session = {"id": uuid4(), "name": name, "status": "active", "metadata": metadata, "org_id": org_id,
                   "has_recording": False, "created_at": now, "updated_at": now}
        self._org(org_id)[session["id"]] = session
        return session

    def get(self, org_id: str, session_id: UUID) -> Optional[Dict[str, Any]]:
        return self._org(org_id).get(session_id)

    def update(self, org_id: str, session_id: UUID, **fields: Any) -> Optional[Dict[str, Any]]:
        session = self.get(org_id, session_id)
        if session is None:
            return None
        session.update(fields, updated_at=utcnow())
        return session

    def delete(self, org_id: str, session_id: UUID) -> bool:
        return self._org(org_id).pop(session_id, None) is not None

    def health_check(self) -> None:
        """Raises when the store cannot serve; an in-memory dict always can."""


repo = SessionRepository()
tokens = TokenTable.from_env()

# --- Authentication ("Authentication & Authorization") ---

# auto_error=True is FastAPI's default: a missing header then answers 403, not 401.
bearer_scheme = HTTPBearer(auto_error=not FIX_DEFAULTS, description="API token: `Authorization: Bearer <token>`")


def unauthorized(code: str, message: str) -> ApiError:
    challenge = 'Bearer realm="sessions"' if code == "UNAUTHENTICATED" else 'Bearer realm="sessions", error="invalid_token"'
    return ApiError(401, code, message, headers={"WWW-Authenticate": challenge})


async def current_principal(credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer_scheme)) -> Principal:
    if credentials is None:
        raise unauthorized("UNAUTHENTICATED", "Authentication required: send Authorization: Bearer <token>")
    principal = tokens.lookup(credentials.credentials)
    if principal is None:
        raise unauthorized("INVALID_TOKEN", "The bearer token is not valid")
    if principal.expired():
        raise unauthorized("TOKEN_EXPIRED", "The bearer token has expired")
    return principal


def scope(required: str):
    async def check(principal: Principal = Depends(current_principal)) -> Principal:
        if required not in principal.scopes:
            raise ApiError(403, "INSUFFICIENT_SCOPE", f"This token lacks the {required} scope", {"required_scope": required})
        return principal
    return check


def not_found(session_id: UUID) -> ApiError:
    return ApiError(404, "SESSION_NOT_FOUND", f"Session {session_id} not found", {"session_id": str(session_id)})


# --- The API ---

app = FastAPI(
    title="Sessions API",
    version="1.0.0",
    description="Sessions and their recordings. Bearer tokens; errors use the `{\"error\": {code, message, details}}` "
                f"envelope; rate limit {RATE_LIMIT} requests per {RATE_WINDOW_S} s per token "
                "(X-RateLimit-* headers, 429 with Retry-After).",
)
if FIX_DEFAULTS:
    install_error_handlers(app)

# Added innermost first: a request passes RequestContext → CORS → RateLimit → BodySizeLimit → routes.
app.add_middleware(BodySizeLimitMiddleware, max_bytes=UPLOAD_MAX_BYTES + 64 * 1024)  # room for multipart framing
app.add_middleware(RateLimitMiddleware, tokens=tokens, limit=RATE_LIMIT, anonymous_limit=RATE_LIMIT_ANONYMOUS, window_s=RATE_WINDOW_S)
if "*" in ALLOWED_ORIGINS:
    raise RuntimeError("CORS_ALLOWED_ORIGINS must list origins: '*' with credentials lets any site read users' data")
app.add_middleware(
    CORSMiddleware,
    allow_origins=ALLOWED_ORIGINS,
    allow_credentials=True,
    allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
    expose_headers=["X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Window", "Retry-After"],
    max_age=86400,
)
app.add_middleware(RequestContextMiddleware)

v1 = APIRouter(prefix="/v1", tags=["sessions"], responses=ERROR_RESPONSES if FIX_DEFAULTS else {})
SessionId = Path(..., description="Session id (UUID)", example="3f2a0c4e-5b7d-4e8f-9a1b-2c3d4e5f6a7b")


@v1.get("/sessions", response_model=SessionPage, summary="List sessions")
async def list_sessions(
    page: int = Query(1, ge=1, description="Page number, from 1"),
    page_size: int = Query(20, ge=1, le=100, description="Items per page, 1–100"),
    principal: Principal = Depends(scope(READ)),
) -> Any:
    """Sessions of the caller's organisation, oldest first."""
    items, total = repo.page(principal.org_id, (page - 1) * page_size, page_size)
    return {"items": items, "total": total, "page": page, "page_size": page_size, "has_more": page * page_size < total}


@v1.post("/sessions", response_model=SessionResponse, status_code=201, summary="Create a session")
async def create_session(body: SessionCreate, request: Request, response: Response,
                         principal: Principal = Depends(scope(WRITE))) -> Any:
    """Create a session in the caller's organisation. Fields the server owns (id, org_id, timestamps) are ignored."""
    logger.info("session.create.start name=%s", body.name)
    session = repo.create(principal.org_id, body.name, body.metadata)
    response.headers["Location"] = str(request.url_for("get_session", session_id=str(session["id"])))
    logger.info("session.create.success session_id=%s", session["id"])
    return session


@v1.get("/sessions/{session_id}", response_model=SessionResponse, summary="Read a session")
async def get_session(session_id: UUID = SessionId, principal: Principal = Depends(scope(READ))) -> Any:
    """One session; another organisation's sessions answer 404."""
    session = repo.get(principal.org_id, session_id)
    if session is None:
        raise not_found(session_id)
    return session


@v1.put("/sessions/{session_id}", response_model=SessionResponse, summary="Replace a session")
async def replace_session(body: SessionCreate, session_id: UUID = SessionId, principal: Principal = Depends(scope(WRITE))) -> Any:
    """Full update: name and metadata are replaced. Idempotent."""
    session = repo.update(principal.org_id, session_id, name=body.name, metadata=body.metadata)
    if session is None:
        raise not_found(session_id)
    return session


@v1.patch("/sessions/{session_id}", response_model=SessionResponse, summary="Update a session")
async def update_session(body: SessionPatch, session_id: UUID = SessionId, principal: Principal = Depends(scope(WRITE))) -> Any:
    """Partial update: only the fields sent change."""
    session = repo.update(principal.org_id, session_id, **body.dict(exclude_unset=True, exclude_none=True))
    if session is None:
        raise not_found(session_id)
    return session


@v1.delete("/sessions/{session_id}", status_code=204, response_class=Response, summary="Delete a session")
async def delete_session(session_id: UUID = SessionId, principal: Principal = Depends(scope(WRITE))) -> Response:
    """Delete a session. Deleting it again answers 404."""
    if not repo.delete(principal.org_id, session_id):
        raise not_found(session_id)
    return Response(status_code=204)


async def multipart_only(request: Request) -> None:
    # Runs before FastAPI validates the form, so a raw body of another type gets 415, not 422.
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Upload the recording as multipart/form-data with a `file` part")


@v1.post(
    "/sessions/{session_id}/recording", response_model=RecordingResponse, status_code=201, summary="Upload a recording",
    responses={413: {"model": ErrorEnvelope, "description": "The file exceeds 10 MB"},
               415: {"model": ErrorEnvelope, "description": "The file is not application/json"}} if FIX_DEFAULTS else {},
    dependencies=[Depends(multipart_only)],
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {
        "example": {"file": '{"events": [{"t": 0, "type": "start"}]}'}}}}},
)
async def upload_recording(
    file: UploadFile = File(..., description="The recording: a JSON document of at most 10 MB"),
    session_id: UUID = SessionId,
    principal: Principal = Depends(scope(WRITE)),
) -> Any:
    """Attach a recording (`application/json`, at most 10 MB) to a session."""
    if repo.get(principal.org_id, session_id) is None:
        raise not_found(session_id)
    size = file.size if file.size is not None else len(await file.read())
    if size > UPLOAD_MAX_BYTES:
        raise ApiError(413, "FILE_TOO_LARGE", f"The file has {size} bytes; the limit is {UPLOAD_MAX_BYTES}",
                       {"max_bytes": UPLOAD_MAX_BYTES, "size_bytes": size})
    media_type = (file.content_type or "").split(";")[0].strip().lower()
    if media_type not in UPLOAD_TYPES:
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", f"Recordings must be application/json, not {media_type or 'untyped'}",
                       {"allowed_types": sorted(UPLOAD_TYPES), "content_type": media_type})
    try:
        json.loads(await file.read())
    except ValueError:
        raise ApiError(422, "INVALID_RECORDING", "The recording is not valid JSON", {"field": "file"})
    repo.update(principal.org_id, session_id, has_recording=True)
    return {"session_id": session_id, "content_type": media_type, "size_bytes": size, "uploaded_at": utcnow()}


app.include_router(v1)


@app.get("/health", response_model=Health, tags=["health"], summary="Health check")
async def health_check() -> Any:
    """Health check endpoint for load balancers. No credentials needed."""
    return {"status": "healthy", "timestamp": utcnow()}


@app.get("/ready", response_model=Readiness, tags=["health"], summary="Readiness check",
         responses={503: {"model": ErrorEnvelope, "description": "A dependency does not answer"}})
async def readiness_check() -> Any:
    """Readiness check: verifies dependencies (here, the repository)."""
    try:
        repo.health_check()
    except Exception:
        raise ApiError(503, "NOT_READY", "A dependency is not available")
    return {"status": "ready"}
