"""Data layer: the eight labels and the labelled-page format."""
