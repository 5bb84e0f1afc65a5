"""In-memory twins of the repositories and the unit of work: the same Protocols, for fast use-case tests."""
