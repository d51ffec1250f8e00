"""Benchmarks: load and scale measurements that print ratios (`make bench`); never run as tests."""
