"""Signing staff and volunteers in and out."""
