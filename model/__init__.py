"""The probation model: parameters, population arrays, weekly phases and metrics."""
