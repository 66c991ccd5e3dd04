"""Executors: ways to launch the ranks of a run (this process, torchrun/Slurm ranks, Ray actors).

They are named in ``hoiscribe.catalog.EXECUTORS``; the work itself is ``run_pipeline``.
"""
