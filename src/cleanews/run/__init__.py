"""Running layer: planning outputs (plan), the local process pool (pool), writers, and the Ray engine (ray/)."""
