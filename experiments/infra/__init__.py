"""What every command and the API stand on: errors, safe files, locks, provenance, executors."""
