"""Engine infrastructure: compiled row kernels, counter-based draws, random streams, the calendar."""
