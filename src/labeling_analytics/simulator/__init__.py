"""A labeling team simulator: realistic activity exports at any scale, and the ground truth beside them."""

from .config import FORMATS, NoiseRates, SimulationConfig
from .run import TRUTH_DIR, RunSummary, simulate

__all__ = ["FORMATS", "TRUTH_DIR", "NoiseRates", "RunSummary", "SimulationConfig", "simulate"]
