"""caseterm: a keyboard-first terminal workstation for public-service case administrators."""

__version__ = "0.1.0"
