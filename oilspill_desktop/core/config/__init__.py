"""Settings, the API token's storage, the app's folders and the bundled resources.

Separate because it is about the machine and the user rather than about images: where
files go, what the user chose, and where the secret is kept (the OS keyring when there
is one; :mod:`.credentials`, named so that it never shadows the standard ``secrets``).
"""
