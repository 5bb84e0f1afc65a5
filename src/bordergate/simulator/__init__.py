"""The simulator: a border gate's days before they happen, on the same queue rules as the system, from a seed."""
