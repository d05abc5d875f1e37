"""Runs the core's work on Qt thread pools; shared by the window and the command line."""
