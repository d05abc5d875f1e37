"""Bundled resources: icons, styles, translations and the sample survey (see resources_access)."""
