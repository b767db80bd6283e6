"""Benchmarks of evaltools at province and national scale, each measured as a
ratio against a peer in the same run (``python -m benchmarks.run --help``)."""
