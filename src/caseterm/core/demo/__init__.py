"""Demo data: a realistic, repeatable organisation to try caseterm on (`caseterm demo`)."""

from caseterm.core.demo.build import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
