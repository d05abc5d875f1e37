"""What comes in: reading zip archives safely, naming their members, decoding images.

Separate because it faces hostile data (bombs, bad names, truncated zips, odd TIFFs) and
must answer one question for the rest of the core: which members are images, and what
are their pixels. It also packs dropped folders and loose images into an archive, so that
every job starts from a zip.
"""
