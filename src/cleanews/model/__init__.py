"""Model layer: the fitted passes, their chain and calibration, and the model file."""
