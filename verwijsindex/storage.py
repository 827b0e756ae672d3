"""Static files storage for production: hashed, compressed names, tolerant of third-party CSS references."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The NL Design System token CSS from npm refers to images it does not ship (e.g. `pijltje.svg`).

    Such a reference is left as written instead of failing collectstatic; our own files still get hashed names.
    """

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name
