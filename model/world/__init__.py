"""The world the weeks act on: areas, organisations, staff, people, inputs, ties, and the steady start."""
