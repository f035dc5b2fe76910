"""Loading of data files (lexicons, policy packs) with errors that name the file and line."""
