"""The main window's parts, one concern each (as vorta splits its window).

:class:`~oilspill_desktop.ui.main_window.MainWindow` builds the widgets and wires these
together; each part holds the window and owns one thing the window does:

- :mod:`.actions`: every action the window offers, declared once (text, icon, shortcut,
  handler, when it is enabled); menus, toolbar, context menu and row buttons come from it.
- :mod:`.adding`: drops, open dialogs, packing folders, recent files, the sample survey.
- :mod:`.resume`: the banner offering to resume interrupted jobs.
- :mod:`.settings`: the settings dialog, and saving settings off the GUI thread.
- :mod:`.job_actions`: what the row actions do, looked up in a table by action id.
- :mod:`.dialogs`: help, models, the log folder, mask viewers.
- :mod:`.presenter`: the window title, the status bar, the queue summary, notifications.
- :mod:`.shutdown`: asking before quitting, letting go of everything, the exit clean-up.
"""
