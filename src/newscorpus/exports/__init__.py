"""Other formats: brat standoff (both ways), CoNLL-2012 coreference, CoNLL-2003 NER,
spaCy DocBin and Croissant metadata, written from a checked version of the corpus."""
