"""Checks of the edge-of-stability background results (EOS-*)."""
