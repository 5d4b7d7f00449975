# Same formats as Vietnamese: dd/mm/yyyy and "." thousands whatever the interface language.
from config.formats.vi.formats import *  # noqa: F401,F403
