"""A small stateful emulator of the Microsoft Graph and ARM calls the deeplake extension and core az
commands make, for tests, demos and benchmarks. See README.md."""
from .emulator import Emulator
from .errors import EmulatorError

__all__ = ["Emulator", "EmulatorError"]
