"""TR as a sum of named channels: each way the reform changes the world lives in one module, as one
object that reads its own switch and turns owners, contracts and the switch into what organisations do.

The engine calls a channel at policy events (``on_<event>``), when organisations' operating models are
mirrored into arrays (``operating_model``), and where a rule needs the channel's answer (for example
``interagency.delay``). No switch is read anywhere else. docs/ODD.md ("TR as channels") maps every change
TR makes to its channel; docs/extending.md shows how to replace a channel's rule with your own class.
"""
