"""One place for every output format."""
