"""Sources: where images come from (a folder tree for ``audit``) and what kind of file each is."""
