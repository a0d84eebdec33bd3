"""Packaging detail pyproject.toml cannot say: the report templates live in reports/templates
at the top of the repository and are shipped inside the wheel as `shopper/templates`."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["shopper", "shopper.*"]) + ["shopper.templates"],
    package_dir={"shopper.templates": "reports/templates"},
    package_data={"": ["*.html", "*.js", "*.css", "*.yaml", "*.txt", "*.json"]},
)
