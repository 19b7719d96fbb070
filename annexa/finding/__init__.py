"""Finding files: the walk of ROOT, ignore rules, safe opening, globs, matching files to items."""
