"""Settings of the `manage.py` processes the backup tests start: the test settings, with
MEDIA_ROOT from the environment (each side of a round trip has its own) and English messages."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F401,F403

MEDIA_ROOT = Path(os.environ["BACKUP_TEST_MEDIA_ROOT"])
LANGUAGE_CODE = "en"
