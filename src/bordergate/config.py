"""Settings: one typed object read from BORDERGATE_* environment variables, documented field by field."""
from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set; docs/configuration.md lists each field (a test keeps them in step)."""

    model_config = SettingsConfigDict(env_prefix="BORDERGATE_", extra="ignore")

    database_url: str = Field(
        "sqlite:///bordergate.db",
        description="Where data lives: a SQLite file by default, postgresql://user:pass@host/db in production.")
    secret_key: str | None = Field(
        None, min_length=32,
        description="Signs sign-in tokens and QR links. Unset: a random key per process (tokens die on restart).")
    token_minutes: int = Field(480, ge=1, description="How long a sign-in token lasts (a working shift).")
    public_url: str = Field(
        "http://127.0.0.1:8000", description="The address people reach bordergate at; QR codes link here.")
    host: str = Field("127.0.0.1", description="Interface `bordergate serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `bordergate serve` listens on.")
    workers: int = Field(1, ge=1, description="Server processes for `bordergate serve` (PostgreSQL only).")
    db_pool_size: int = Field(20, ge=1, description="Connections each server process keeps to PostgreSQL.")
    argon2_time_cost: int = Field(3, ge=1, description="Argon2 passes per password hash (pwdlib's default 3).")
    argon2_memory_kib: int = Field(65536, ge=8, description="Argon2 memory per password hash, in KiB.")
    log_level: str = Field("info", description="Log level: debug, info, warning or error.")
