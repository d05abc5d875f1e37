"""The mask preview viewer."""
