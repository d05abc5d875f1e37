"""Bundled resources: icons, styles, translations and the sample survey (see core/resources.py)."""
