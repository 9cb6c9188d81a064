"""labeling-analytics: the Python tools around the dbt warehouse."""

__version__ = "0.1.0"
