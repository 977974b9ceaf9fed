"""newscorpus: an annotated news corpus with versioned standoff annotations.

Data flows one way: files on disk -> a validated in-memory model
(:mod:`newscorpus.model`) -> views (Parquet rows, Label Studio tasks, the card).
"""

__version__ = "0.1.0"
