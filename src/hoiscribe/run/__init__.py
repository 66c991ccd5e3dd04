"""The run layer: config, work units, append-only stores, executors, merge and stats."""
