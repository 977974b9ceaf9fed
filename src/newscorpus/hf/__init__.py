"""The Hugging Face product: config features, rows, the build (Parquet), the dataset
card, CITATION.cff and publishing."""
