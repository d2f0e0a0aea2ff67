"""Configuration: one pydantic-settings class whose env names are the ones template.yaml sets."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

GIB = 1024**3


class Settings(BaseSettings):
    """Everything the API and the worker read from the environment."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    aws_region: str = Field(default="us-east-1", alias="AWS_REGION")
    # Set to reach LocalStack, a standalone moto server or the embedded one of `make run`.
    aws_endpoint_url: str | None = Field(default=None, alias="AWS_ENDPOINT_URL")
    user_pool_id: str = Field(default="", alias="USER_POOL_ID")
    user_pool_client_id: str = Field(default="", alias="USER_POOL_CLIENT_ID")
    table_name: str = Field(default="sharebox", alias="TABLE_NAME")
    bucket_name: str = Field(default="sharebox-files", alias="BUCKET_NAME")
    queue_url: str = Field(default="", alias="QUEUE_URL")
    # Email notifications: the queue the API and worker write to, the sender's verified address.
    notifications_queue_url: str = Field(default="", alias="NOTIFICATIONS_QUEUE_URL")
    sender_email: str = Field(default="", alias="SENDER_EMAIL")
    uploads_prefix: str = Field(default="uploads/", alias="UPLOADS_PREFIX")
    thumbnails_prefix: str = Field(default="thumbnails/", alias="THUMBNAILS_PREFIX")

    cors_origins: list[str] = Field(default_factory=list, alias="CORS_ORIGINS")
    public_base_url: str | None = Field(default=None, alias="PUBLIC_BASE_URL")

    default_quota_bytes: int = Field(default=10 * GIB, alias="DEFAULT_QUOTA_BYTES")
    single_upload_max_bytes: int = Field(default=5 * GIB, alias="SINGLE_UPLOAD_MAX_BYTES")
    upload_url_ttl_seconds: int = Field(default=900, alias="UPLOAD_URL_TTL_SECONDS")
    download_url_ttl_seconds: int = Field(default=900, alias="DOWNLOAD_URL_TTL_SECONDS")
    # How long a deleted file or folder stays in the trash before it goes for good.
    trash_retention_days: int = Field(default=30, ge=1, alias="TRASH_RETENTION_DAYS")
    # How often the worker recounts the administrators' users, files and bytes (app/admin/
    # stats.py): each recount reads every profile once.
    stats_recount_seconds: int = Field(default=300, ge=0, alias="STATS_RECOUNT_SECONDS")
    # How long an open multipart upload holds its quota before it is aborted as abandoned.
    multipart_upload_ttl_seconds: int = Field(
        default=7 * 24 * 3600, alias="MULTIPART_UPLOAD_TTL_SECONDS"
    )

    # The time budget of AWS calls (app/aws.py; README "Failure and time budgets"): per
    # attempt, attempts per call (standard retry mode), and per API request, which fits inside
    # the API function's 15 s timeout with room for the answer.
    aws_connect_timeout_seconds: float = Field(default=1.0, alias="AWS_CONNECT_TIMEOUT_SECONDS")
    aws_read_timeout_seconds: float = Field(default=3.0, alias="AWS_READ_TIMEOUT_SECONDS")
    aws_max_attempts: int = Field(default=3, alias="AWS_MAX_ATTEMPTS")
    # S3's CompleteMultipartUpload, one attempt: assembling a large upload can outlast the read
    # timeout above while S3 keeps the connection open (app/aws.py `completing_client`).
    aws_complete_read_timeout_seconds: float = Field(
        default=8.0, alias="AWS_COMPLETE_READ_TIMEOUT_SECONDS"
    )
    aws_request_budget_seconds: float = Field(default=10.0, alias="AWS_REQUEST_BUDGET_SECONDS")
    # What a 503 asks the client to wait before retrying.
    retry_after_seconds: int = Field(default=5, alias="RETRY_AFTER_SECONDS")

    # Signs pagination cursors; template.yaml sets a per-stack secret.
    cursor_secret: str = Field(default="local-cursor-secret-change-me", alias="CURSOR_SECRET")
    # The key material TOTP secrets are sealed with (app/mfa/vault.py); template.yaml gives a
    # per-stack generated secret to the API function only (empty elsewhere: nothing to read).
    mfa_secret_key: str = Field(default="local-mfa-secret-change-me", alias="MFA_SECRET_KEY")
    # How long one process trusts its copy of a user's logout record.
    revocation_cache_seconds: float = Field(default=5.0, alias="REVOCATION_CACHE_SECONDS")
    jwt_leeway_seconds: int = Field(default=30, alias="JWT_LEEWAY_SECONDS")

    # Local mode: sign-ups are confirmed automatically and the JWKS comes from the endpoint.
    local_mode: bool = Field(default=False, alias="LOCAL_MODE")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    # X-Ray subsegments for every AWS call (Powertools Tracer). Its SDK costs ~170 ms to import,
    # so the template turns it on where a cold start does not pay that: the worker, and the
    # API under SnapStart (prod). Lambda's own X-Ray segments are there either way.
    trace_aws_calls: bool = Field(default=False, alias="TRACE_AWS_CALLS")

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.aws_region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        if self.local_mode and self.aws_endpoint_url:
            base = self.aws_endpoint_url.rstrip("/")
            return f"{base}/{self.user_pool_id}/.well-known/jwks.json"
        return f"{self.issuer}/.well-known/jwks.json"


@lru_cache
def get_settings() -> Settings:
    return Settings()
