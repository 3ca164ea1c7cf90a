"""Feature layer: what the model reads of each line (measures, n-grams, context columns)."""
