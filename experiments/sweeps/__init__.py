"""Batch experiments: experiment files, designs, running, growing and reading back a sweep."""
