"""The repository on disk: paths, JSON I/O, document records, the draft and the
releases, and the diff between versions. Imports nothing above it (no rules)."""
