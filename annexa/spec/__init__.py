"""The spec: which Annex A items are required and how they are dated."""

from annexa.spec.bundled import DEFAULT_SPEC, bundled_spec_names, bundled_spec_path
from annexa.spec.loader import SpecError, SpecProblem, load_spec, resolve_spec_path, spec_files
from annexa.spec.rules import DatingOptions, ItemRule, Spec, Waiver

__all__ = [
    "DEFAULT_SPEC",
    "DatingOptions",
    "ItemRule",
    "Spec",
    "SpecError",
    "SpecProblem",
    "Waiver",
    "bundled_spec_names",
    "bundled_spec_path",
    "load_spec",
    "resolve_spec_path",
    "spec_files",
]
