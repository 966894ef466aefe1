"""The channel interface and the set of channels a run uses (declared in ``model/channels/registry.py``).

A channel acts through hooks, each doing nothing unless the channel overrides it:
- ``setup(model, ops)`` once, when the world is built: what the channel changes from the first day (for
  example the cost of a move between organisations);
- ``on_<event>(model)`` at a policy event (``model/channels/policy.py`` says when each is scheduled);
- ``on_review(model, crc, review, rng)`` after a CRC's quarterly review (``CommunityRehabilitationCompany.review_quarter``);
- ``operating_model(model, ops)`` whenever the organisations' arrays are refreshed: values derived from the
  regime in force.
Each per-organisation array of ``OperatingModel`` has one writer, named in its docstring. A channel that is
off does nothing, so the world stays as it would be without TR. Hooks run in ``registry.ORDER``.
"""

from __future__ import annotations

import importlib

from model.channels.registry import BY_NAME, ORDER
from model.parameters import ParameterError, Parameters

HOOKS = ("setup", "on_review", "operating_model")


class Channel:
    """One way TR changes the world, on (``self.on``) or off as a whole."""

    name = ""

    def __init__(self, params: Parameters, on: bool) -> None:
        self.params = params
        self.on = on

    def acts_at(self, event: str) -> bool:
        """Whether the channel does something at a policy event."""
        return self.on and _overrides(type(self), f"on_{event}")

    def setup(self, model, ops) -> None:
        """What the channel changes from the first day, in the organisations' arrays (``ops``)."""

    def on_review(self, model, crc, review, rng) -> None:
        """Carry out the part of a CRC's quarterly decision (``agents.crc.Review``) the channel governs."""

    def operating_model(self, model, ops) -> None:
        """Values derived from the regime in force, when the organisations' arrays are refreshed."""


def _overrides(cls: type, hook: str) -> bool:
    return any(hook in vars(c) for c in cls.__mro__ if c is not Channel)


def channel_class(name: str, spec: str) -> type[Channel]:
    """The class ``module:Class`` (the model's own when ``spec`` is empty); ParameterError if it cannot be used."""
    default = BY_NAME[name].rule
    spec = spec or default
    module, sep, cls = spec.partition(":")
    if not sep or not module or not cls:
        raise ParameterError(f"parameter tr.rules.{name}: got {spec!r}, expected module:Class")
    try:
        found = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError) as exc:
        raise ParameterError(f"parameter tr.rules.{name}: cannot load {spec!r} ({type(exc).__name__}: {exc})") from None
    base = channel_class(name, "") if spec != default else Channel
    if not (isinstance(found, type) and issubclass(found, base)):
        raise ParameterError(f"parameter tr.rules.{name}: {spec!r} is not a subclass of {base.__module__}:{base.__name__}")
    return found


def check_rules(params: Parameters) -> None:
    """ParameterError unless every ``tr.rules.<channel>`` names a usable class (checked before a run starts)."""
    for name in ORDER:
        channel_class(name, getattr(params.tr.rules, name))


class Channels:
    """The run's channels by name (``channels.market``), each built from ``tr.rules`` and its switch."""

    def __init__(self, params: Parameters) -> None:
        self.by_name: dict[str, Channel] = {}
        for name in ORDER:
            group = getattr(params.tr, BY_NAME[name].group)
            self.by_name[name] = channel_class(name, getattr(params.tr.rules, name))(params, bool(getattr(group, name)))

    def __getattr__(self, name: str) -> Channel:
        try:
            return self.__dict__["by_name"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self):
        return iter(self.by_name[name] for name in ORDER)

    def acts_at(self, event: str) -> bool:
        return any(ch.acts_at(event) for ch in self)

    def fire(self, model, event: str) -> None:
        """Every channel's hook for a policy event, in ORDER; then the organisations' arrays are refreshed."""
        for ch in self:
            if ch.acts_at(event):
                getattr(ch, f"on_{event}")(model)
        model.refresh()

    def setup(self, model, ops) -> None:
        for ch in self:
            if ch.on:
                ch.setup(model, ops)

    def review(self, model, crc, review, rng) -> None:
        """A CRC's quarterly decision, carried out by the channels that govern its parts (``rng``: the quarter's
        finance stream, shared in order by the reviews)."""
        for ch in self:
            if ch.on:
                ch.on_review(model, crc, review, rng)

    def operating_model(self, model, ops) -> None:
        for ch in self:
            if ch.on:
                ch.operating_model(model, ops)
