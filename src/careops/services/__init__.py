"""Domain operations: validate, write within the caller's transaction, return results."""
