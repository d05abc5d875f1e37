"""What goes out: mask PNGs, overlays, the results zip and report.json/report.csv.

Separate because these are the files a user keeps: their formats are a contract, and
they are written atomically so a results file is either complete or not there.
"""
