"""Measures of annotation sets: inter-annotator agreement and counts."""
