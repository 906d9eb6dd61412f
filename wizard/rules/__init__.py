"""Pure regulation rules: no Flask, no database, no clock."""
