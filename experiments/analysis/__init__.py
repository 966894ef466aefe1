"""A sweep's comparisons, statistics, figures and the researcher's report; labels and units."""
