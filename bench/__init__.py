"""Benchmark of the tracker against a plain eventsourcing save loop: `python -m bench.run`.

Not a test: nothing here asserts on time. It measures, in one run on the same servers,
the ratios that survive a noisy machine (ours vs raw), and writes docs/benchmarks.md.
"""
