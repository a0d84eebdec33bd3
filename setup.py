"""Packaging detail pyproject.toml cannot say: the report templates (reports/templates) and
the example scenarios (scenarios/) live at the top of the repository and are shipped inside
the wheel as `shopper/templates` and `shopper/examples`, so an installed shopper can render
reports and run `shopper demo` without a checkout."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["shopper", "shopper.*"]) + ["shopper.templates",
                                                                "shopper.examples"],
    package_dir={"shopper.templates": "reports/templates", "shopper.examples": "scenarios"},
    package_data={"": ["*.html", "*.js", "*.css", "*.yaml", "*.txt", "*.json"],
                  "shopper.examples": ["*.yaml", "**/*.yaml"],
                  "shopper.detect": ["lang/*.yaml"]},
)
