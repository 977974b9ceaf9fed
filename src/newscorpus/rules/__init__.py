"""The rules of the corpus: the label inventory, the JSON Schemas generated from it,
the guidelines tables, and the named validation checks."""
