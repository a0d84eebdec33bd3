"""Package layout pyproject.toml cannot say beside package discovery: the report templates
(reports/templates) and the example scenarios (scenarios/) live at the top of the repository
and are shipped inside the wheel as `shopper.templates` and `shopper.examples`, so an
installed shopper renders reports and runs `shopper demo` without a checkout. The data files
themselves are declared in pyproject.toml ([tool.setuptools.package-data])."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["shopper", "shopper.*"]) + ["shopper.templates",
                                                                "shopper.examples"],
    package_dir={"shopper.templates": "reports/templates", "shopper.examples": "scenarios"},
)
