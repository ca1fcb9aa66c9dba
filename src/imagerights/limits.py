"""The guards' limits on input files, in a module of their own so that code which only needs the
numbers (the audit cache's fingerprint) does not load the image libraries with them."""

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_PIXELS = 178_956_970  # Pillow's own bomb threshold ×2 (its default warning limit ×2 is its error limit)
