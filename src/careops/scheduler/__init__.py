"""Policy + recorded facts + a clock -> obligations. Pure: reads the database, never prints."""
