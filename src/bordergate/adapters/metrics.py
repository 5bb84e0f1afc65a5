"""Prometheus metrics of this server process (served at /metrics to administrators)."""
from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest

REGISTRY = CollectorRegistry()
REFUSED = Counter("bordergate_refused_unauthenticated", "Requests refused before anyone was authenticated "
                  "(forged or stale signatures, wrong camera keys), by kind; each is counted even when the "
                  "security log kept no row of it", ["kind"], registry=REGISTRY)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
