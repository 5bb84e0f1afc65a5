"""Data shipped with bordergate: the sample procedures catalogue (to be replaced by the province's list)."""
