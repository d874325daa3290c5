"""Text utilities shared by the pipeline stages (name normalisation first)."""
