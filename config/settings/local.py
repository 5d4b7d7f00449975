"""Developer machine: `make run`."""

from config.settings.base import *  # noqa: F401,F403

DEBUG = True
