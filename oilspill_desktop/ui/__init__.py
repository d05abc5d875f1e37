"""The Qt widgets: the main window, the settings dialog and the mask viewer."""
