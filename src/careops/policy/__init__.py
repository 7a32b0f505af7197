"""Rules as data: the built-in policy (TOML), its models and validation."""
