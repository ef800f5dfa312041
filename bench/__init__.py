"""Benchmarks for helpwanted: run them with `make bench` (python -m bench).

Each figure is printed on its own line as `name: value`, and every timing that matters is a
ratio against a baseline measured in the same run, so the figures hold on a noisy machine.
"""
