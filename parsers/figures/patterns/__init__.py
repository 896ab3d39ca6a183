"""Lexical patterns: which verbs change or state territorial control."""
