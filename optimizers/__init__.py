"""A NumPy optimizer engine whose every step matches torch.optim, batched by broadcasting."""

from . import schedules
from .registry import get, names
from .runner import Trajectory, replay, run
from .spec import Hyperparameter, OptimizerSpec

__all__ = ["Hyperparameter", "OptimizerSpec", "Trajectory", "get", "names", "replay", "run", "schedules"]
