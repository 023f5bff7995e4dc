"""Numeric expressions: recognizer and unit table."""
