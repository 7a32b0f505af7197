"""Engine, sessions and schema upgrades."""
