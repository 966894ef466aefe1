"""The channel interface and the set of channels a run uses."""

from __future__ import annotations

import importlib

from model.parameters import ParameterError, Parameters

# The channels, in the order the engine calls them at each event (the split builds, the others act on it).
ORDER = ("ora", "through_the_gate", "split", "market", "relationships", "contact", "interagency")
SWITCH = {"ora": "tr.channels.ora", "through_the_gate": "tr.channels.through_the_gate", "split": "tr.channels.split",
          "market": "tr.channels.market", "relationships": "tr.mechanisms.relationships",
          "contact": "tr.mechanisms.contact", "interagency": "tr.mechanisms.interagency"}
DEFAULT = {"ora": "model.channels.ora:Ora", "through_the_gate": "model.channels.through_the_gate:ThroughTheGate",
           "split": "model.channels.split:Split", "market": "model.channels.market:Market",
           "relationships": "model.channels.relationships:Relationships", "contact": "model.channels.contact:Contact",
           "interagency": "model.channels.interagency:InterAgencyWorking"}
EVENTS = ("share_out", "sale", "ora", "variation", "termination_announced", "ttg_enhanced", "reunification")


class Channel:
    """One way TR changes the world, on (``self.on``) or off as a whole.

    Override the hooks the channel acts through; every hook does nothing by default. A channel that is
    off must leave the world as it would be without TR.
    """

    name = ""
    needs_split = False  # acts only on the organisations the split creates

    def __init__(self, params: Parameters, on: bool) -> None:
        self.params = params
        self.on = on

    def acts_at(self, event: str) -> bool:
        """Whether the channel does something at a policy event (events nobody acts at are not scheduled)."""
        if self.needs_split and not self.params.tr.channels.split:
            return False
        return self.on and any(f"on_{event}" in vars(c) for c in type(self).__mro__ if c is not Channel)

    def operating_model(self, model, ops) -> None:
        """Adjust the per-organisation arrays (``ops``) after they are reset to the pre-reform defaults."""


def channel_class(name: str, spec: str) -> type[Channel]:
    """The class ``module:Class`` (the model's own when ``spec`` is empty); ParameterError if it cannot be used."""
    spec = spec or DEFAULT[name]
    module, sep, cls = spec.partition(":")
    if not sep or not module or not cls:
        raise ParameterError(f"parameter tr.rules.{name}: got {spec!r}, expected module:Class")
    try:
        found = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError) as exc:
        raise ParameterError(f"parameter tr.rules.{name}: cannot load {spec!r} ({type(exc).__name__}: {exc})") from None
    base = channel_class(name, "") if spec != DEFAULT[name] else Channel
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
            on = bool(_get(params, SWITCH[name]))
            self.by_name[name] = channel_class(name, getattr(params.tr.rules, name))(params, on)

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
        """Every channel's hook for a policy event, in ORDER; then organisations' arrays are refreshed."""
        for ch in self:
            if ch.acts_at(event):
                getattr(ch, f"on_{event}")(model)
        model.refresh()

    def operating_model(self, model, ops) -> None:
        for ch in self:
            ch.operating_model(model, ops)


def _get(params: Parameters, dotted: str):
    node = params
    for part in dotted.split("."):
        node = getattr(node, part)
    return node
