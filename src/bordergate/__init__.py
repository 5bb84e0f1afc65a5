"""bordergate: an open-source digital border gate for road freight."""

__version__ = "0.1.0"
