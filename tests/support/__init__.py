"""Test data the suite makes for itself: generated plate pictures and the like, never downloaded."""
