"""Browser view of the model (Mesa SolaraViz, matplotlib figures only).

Launch with ``python run.py viz`` (serves on http://127.0.0.1:8765). Always small scale.
Controls left at their default keep the scenario's own value; a control moved away from its
default overrides the scenario. Change controls, then press Reset to rebuild the model.
"""

from __future__ import annotations

import markdown
import solara
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.utils import update_counter

from experiments import scenarios
from experiments.simulate import build_parameters
from experiments.viz_figures import network_figure, series_figure, status_markdown
from model.parameters import Parameters
from model.probation_model import ProbationModel

DEFAULT_SCENARIO = "tr_reunified"
_D = Parameters()

# control keyword -> (dotted parameter, default). A control at its default leaves the scenario alone.
CONTROLS: dict[str, tuple[str, object]] = {
    "caseload_cap_crc": ("supervision.caseload_cap_crc", int(_D.supervision.caseload_cap_crc)),
    "pbr_share": ("finance.pbr_share", float(_D.finance.pbr_share)),
    "keep_colocation": ("policy.keep_colocation", bool(_D.policy.keep_colocation)),
    "data_sharing": ("policy.data_sharing_mandated", bool(_D.policy.data_sharing_mandated)),
    "mech_relationships": ("tr.mechanisms.relationships", bool(_D.tr.mechanisms.relationships)),
    "mech_contact": ("tr.mechanisms.contact", bool(_D.tr.mechanisms.contact)),
    "mech_interagency": ("tr.mechanisms.interagency", bool(_D.tr.mechanisms.interagency)),
    "iom_ogrs_threshold": ("iom.ogrs_threshold", int(_D.iom.ogrs_threshold)),
}


def overrides_from_controls(values: dict[str, object]) -> dict[str, object]:
    """Dotted overrides for the controls moved away from their defaults."""
    out = {}
    for key, value in values.items():
        name, default = CONTROLS[key]
        if value != default:
            out[name] = value
    return out


class VizModel(ProbationModel):
    """ProbationModel built from the page's controls (keyword arguments), always at small scale.

    The scenario control is ``scenario_name``: Mesa's own ``scenario`` argument means a
    mesa Scenario object, and SolaraViz's Reset would replace a plain name with one.
    """

    def __init__(self, scenario_name: str = DEFAULT_SCENARIO,
                 caseload_cap_crc: int = CONTROLS["caseload_cap_crc"][1],
                 pbr_share: float = CONTROLS["pbr_share"][1],
                 keep_colocation: bool = CONTROLS["keep_colocation"][1],
                 data_sharing: bool = CONTROLS["data_sharing"][1],
                 mech_relationships: bool = CONTROLS["mech_relationships"][1],
                 mech_contact: bool = CONTROLS["mech_contact"][1],
                 mech_interagency: bool = CONTROLS["mech_interagency"][1],
                 iom_ogrs_threshold: int = CONTROLS["iom_ogrs_threshold"][1],
                 seed: int = 1, rng: int | None = None) -> None:
        seed = int(str(seed if rng is None else rng).strip())
        controls = {"caseload_cap_crc": int(caseload_cap_crc), "pbr_share": float(pbr_share),
                    "keep_colocation": bool(keep_colocation), "data_sharing": bool(data_sharing),
                    "mech_relationships": bool(mech_relationships), "mech_contact": bool(mech_contact),
                    "mech_interagency": bool(mech_interagency), "iom_ogrs_threshold": int(iom_ogrs_threshold)}
        overrides = overrides_from_controls(controls)
        if "iom.ogrs_threshold" in overrides:  # keep the profile threshold at or below the cohort threshold
            overrides["iom.ogrs_profile_threshold"] = min(_D.iom.ogrs_profile_threshold, overrides["iom.ogrs_threshold"])
        self.scenario_name = scenario_name
        self.overrides = overrides
        super().__init__(build_parameters(scenario_name, overrides, scale="small", seed=seed))


model_params = {
    "scenario_name": {"type": "Select", "value": DEFAULT_SCENARIO, "values": scenarios.names(), "label": "Scenario"},
    "seed": Slider("Random seed", 1, 0, 100, 1),
    "caseload_cap_crc": Slider("CRC caseload cap (cases per officer)", CONTROLS["caseload_cap_crc"][1], 30, 150, 5),
    "pbr_share": Slider("PbR share of CRC income", CONTROLS["pbr_share"][1], 0.0, 0.5, 0.01),
    "keep_colocation": {"type": "Checkbox", "value": CONTROLS["keep_colocation"][1],
                        "label": "Keep police-probation co-location after the split"},
    "data_sharing": {"type": "Checkbox", "value": CONTROLS["data_sharing"][1], "label": "Data sharing mandated in contracts"},
    "mech_relationships": {"type": "Checkbox", "value": CONTROLS["mech_relationships"][1],
                           "label": "TR acts on relationships"},
    "mech_contact": {"type": "Checkbox", "value": CONTROLS["mech_contact"][1], "label": "TR acts on contact"},
    "mech_interagency": {"type": "Checkbox", "value": CONTROLS["mech_interagency"][1],
                         "label": "TR acts on inter-agency working"},
    "iom_ogrs_threshold": Slider("IOM OGRS threshold", CONTROLS["iom_ogrs_threshold"][1], 50, 95, 1),
}


@solara.component
def Status(model):
    """Calendar date, week, regime, and the last and next policy events.

    The Markdown is converted here rather than by solara.Markdown, whose front end fetches KaTeX
    and Mermaid from a CDN (not available offline).
    """
    update_counter.get()
    scenario = getattr(model, "scenario_name", "")
    html = markdown.markdown(status_markdown(model, scenario))
    solara.HTML(tag="div", unsafe_innerHTML=html, classes=["probation-status"], style="font-size: 15px; padding: 8px")


@solara.component
def Network(model):
    """Organisations, staff and a sample of people, trust on the ties."""
    update_counter.get()
    fig = solara.use_memo(lambda: network_figure(model), [model, model.week])
    solara.FigureMatplotlib(fig, format="png", dependencies=[model, model.week])


def _series_component(panel: str):
    @solara.component
    def Series(model):
        update_counter.get()
        fig = solara.use_memo(lambda: series_figure(model, panel), [model, model.week])
        solara.FigureMatplotlib(fig, format="png", dependencies=[model, model.week])

    Series.__name__ = f"Series_{panel}"
    return Series


components = [
    Status,
    Network,
    *(_series_component(p) for p in ("reoffending", "recalls", "caseload", "trust", "income")),
]



def make_page(model: VizModel | solara.Reactive | None = None):
    """The SolaraViz page for a model (a new default model if None)."""
    return SolaraViz(
        model if model is not None else VizModel(),
        components=components,
        model_params=model_params,
        name="Probation, Transforming Rehabilitation and IOM",
        play_interval=150,
    )


page = make_page()
page  # noqa: B018
