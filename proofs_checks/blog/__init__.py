"""Claim checks for the blog (BLOG-*), one module per theme."""
