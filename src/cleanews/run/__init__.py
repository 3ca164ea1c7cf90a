"""Running layer: planning outputs, the local process pool, writers, and the Ray engine."""
