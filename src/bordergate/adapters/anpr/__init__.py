"""Automatic number-plate recognition: engines that read plates off camera pictures (see domain.plate_text)."""
