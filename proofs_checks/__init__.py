"""Claim checks of the lrtheory registry, one module (or subpackage) per source."""
