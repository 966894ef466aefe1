"""The week's phases, in the order ``WEEK`` lists them, and the case transitions they share."""
