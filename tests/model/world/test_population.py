"""Slots: newcomers take the lowest empty rows, with new person ids; rows never move."""

from __future__ import annotations

import numpy as np

from agents.states import State
from model.world.population import Population


def test_newcomers_take_the_lowest_emptied_slots_then_grow():
    pop = Population(capacity=4)
    rows = pop.add(10)
    assert list(rows) == list(range(10)) and pop.capacity >= 10
    pop.state[rows] = State.FREE
    pop.state[[7, 2, 5]] = State.EMPTY
    again = pop.add(2)
    assert list(again) == [2, 5]
    assert list(pop.person_id[again]) == [10, 11]
    pop.state[again] = State.COMMUNITY
    more = pop.add(3)  # row 7, then two new rows
    assert list(more) == [7, 10, 11] and pop.high_water == 12
    pop.state[more] = State.CUSTODY
    assert (pop.state[:12] != State.EMPTY).all()


def test_an_emptied_row_below_the_last_taken_is_found_again():
    pop = Population(capacity=8)
    pop.state[pop.add(8)] = State.FREE
    pop.state[6] = State.EMPTY
    assert list(pop.add(1)) == [6]
    pop.state[6] = State.FREE
    pop.state[1] = State.EMPTY
    assert list(pop.add(1)) == [1]
    assert np.array_equal(pop.person_id[[1, 6]], [9, 8])
