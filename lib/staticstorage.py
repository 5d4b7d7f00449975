"""Static files for production (whitenoise): hashed names (cached for a year), a manifest, and a
gzip copy of each text file. Two departures from whitenoise's storage:
- source-map comments are left alone: the vendored bundles (static/vendor) name maps they do not
  ship, and the manifest storage would refuse to collect them;
- no Brotli copies even when the brotli module is installed: at its highest level it took minutes
  of CPU for the 21 MB collected (the API docs' bundles), gzip takes seconds."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keep(pattern) -> bool:
        regex = pattern if isinstance(pattern, str) else pattern[0]
        return "sourceMappingURL" not in regex

    return tuple((glob, tuple(p for p in found if keep(p))) for glob, found in patterns)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)

    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "use_brotli": False})
