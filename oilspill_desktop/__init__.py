"""Oil Spill Desktop: find oil spills in zip archives of SAR and aerial images, offline."""

__version__ = "0.1.0"
APP_NAME = "Oil Spill Desktop"
APP_ID = "oilspill-desktop"
