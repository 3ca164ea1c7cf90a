"""Training layer: fitting a model on labelled pages and scoring it."""
