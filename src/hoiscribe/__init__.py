"""hoiscribe: grounded language for human-centric image datasets."""

__version__ = "0.1.0"
