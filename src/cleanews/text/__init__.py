"""Text layer: bytes to decoded text, lines and character classes. Knows nothing of labels."""
