"""One module per rule, named by the rule's id (`<rule-id>.py`), each holding that rule's `CASES`.

A new rule's fixtures are a new module here: nothing else lists them. Cases are played in the order of the
modules' names, then of each module's list.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from fixture_kit import Case

HERE = Path(__file__).resolve().parent


def all_cases() -> list[Case]:
    out: list[Case] = []
    for path in sorted(HERE.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"fixture_cases.{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cases: list[Case] = getattr(module, "CASES")
        for case in cases:
            assert case.rule == path.stem, f"{path.name}: case {case.name} is of rule {case.rule}; it belongs in {case.rule}.py"
        out.extend(cases)
    return out
