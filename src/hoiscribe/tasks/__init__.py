"""Tasks: build a ``Request`` from a sample (and prior stage outputs) and parse the answer."""
