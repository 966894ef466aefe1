"""Contract Package Areas, their police forces and trusts, NPS divisions, and scale presets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CPA:
    """One Contract Package Area: its trusts before TR, its police forces, its NPS division."""

    name: str
    weight: float  # share of the national caseload (assumption: ~ population share)
    trusts: tuple[str, ...]
    forces: tuple[str, ...]
    division: str


# The 21 CPAs of 2014 with the 35 trusts and 43 police forces they covered (NAO; seeds).
# Weights are assumptions: rough shares of the national caseload by area population.
CPAS: tuple[CPA, ...] = (
    CPA("Northumbria", 0.030, ("Northumbria",), ("Northumbria",), "North East"),
    CPA("Cumbria and Lancashire", 0.042, ("Cumbria", "Lancashire"), ("Cumbria", "Lancashire"), "North West"),
    CPA("Durham Tees Valley", 0.024, ("Durham Tees Valley",), ("Durham", "Cleveland"), "North East"),
    CPA("Merseyside", 0.031, ("Merseyside",), ("Merseyside",), "North West"),
    CPA("Cheshire and Greater Manchester", 0.075, ("Cheshire", "Greater Manchester"),
        ("Cheshire", "Greater Manchester"), "North West"),
    CPA("West Yorkshire", 0.045, ("West Yorkshire",), ("West Yorkshire",), "North East"),
    CPA("South Yorkshire", 0.027, ("South Yorkshire",), ("South Yorkshire",), "North East"),
    CPA("Humberside, Lincolnshire and North Yorkshire", 0.042,
        ("Humberside", "Lincolnshire", "York and North Yorkshire"),
        ("Humberside", "Lincolnshire", "North Yorkshire"), "North East"),
    CPA("Staffordshire and West Midlands", 0.070, ("Staffordshire and West Midlands",),
        ("Staffordshire", "West Midlands"), "Midlands"),
    CPA("Warwickshire and West Mercia", 0.028, ("Warwickshire", "West Mercia"),
        ("Warwickshire", "West Mercia"), "Midlands"),
    CPA("Derbyshire, Leicestershire, Nottinghamshire and Rutland", 0.055,
        ("Derbyshire", "Leicestershire and Rutland", "Nottinghamshire"),
        ("Derbyshire", "Leicestershire", "Nottinghamshire"), "Midlands"),
    CPA("Wales", 0.055, ("Wales",), ("Dyfed-Powys", "Gwent", "North Wales", "South Wales"), "Wales"),
    CPA("Bedfordshire, Northamptonshire, Cambridgeshire and Hertfordshire", 0.045,
        ("Bedfordshire", "Northamptonshire", "Cambridgeshire and Peterborough", "Hertfordshire"),
        ("Bedfordshire", "Northamptonshire", "Cambridgeshire", "Hertfordshire"), "South East and Eastern"),
    CPA("Norfolk and Suffolk", 0.025, ("Norfolk and Suffolk",), ("Norfolk", "Suffolk"), "South East and Eastern"),
    CPA("Essex", 0.025, ("Essex",), ("Essex",), "South East and Eastern"),
    CPA("London", 0.170, ("London",), ("Metropolitan", "City of London"), "London"),
    CPA("Thames Valley", 0.035, ("Thames Valley",), ("Thames Valley",), "South East and Eastern"),
    CPA("Bristol, Gloucestershire, Somerset and Wiltshire", 0.038,
        ("Avon and Somerset", "Gloucestershire", "Wiltshire"),
        ("Avon and Somerset", "Gloucestershire", "Wiltshire"), "South West and South Central"),
    CPA("Hampshire and Isle of Wight", 0.030, ("Hampshire",), ("Hampshire",), "South West and South Central"),
    CPA("Kent, Surrey and Sussex", 0.060, ("Kent", "Surrey and Sussex"), ("Kent", "Surrey", "Sussex"),
        "South East and Eastern"),
    CPA("Dorset, Devon and Cornwall", 0.030, ("Dorset", "Devon and Cornwall"),
        ("Dorset", "Devon and Cornwall"), "South West and South Central"),
)


@dataclass(frozen=True)
class ScalePreset:
    """Which CPAs to simulate and what share of their real caseload."""

    cpas: tuple[str, ...]
    target_supervised: int | None  # None: each CPA at its full national share


SCALES: dict[str, ScalePreset] = {
    # Cumbria and Lancashire: two trusts, two forces, one privately owned CRC - the reform in miniature.
    "small": ScalePreset(("Cumbria and Lancashire",), 2_000),
    # The North West NPS division's three CPAs.
    "regional": ScalePreset(("Cumbria and Lancashire", "Merseyside", "Cheshire and Greater Manchester"), 12_000),
    "national": ScalePreset(tuple(c.name for c in CPAS), None),
}


def select(scale: str, national_supervised: int) -> tuple[list[CPA], float]:
    """The CPAs of a scale and the sampling fraction applied to their real sizes."""
    preset = SCALES[scale]
    chosen = [c for c in CPAS if c.name in preset.cpas]
    total_weight = sum(c.weight for c in CPAS)
    share = sum(c.weight for c in chosen) / total_weight
    if preset.target_supervised is None:
        return chosen, 1.0
    return chosen, preset.target_supervised / (share * national_supervised)
