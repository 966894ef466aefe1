"""Licence, citation and version: one version in pyproject.toml, CITATION.cff, the changelog and every manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path

import yaml

from experiments.infra import provenance

ROOT = Path(__file__).resolve().parents[2]
APACHE_2_MD5 = "3b83ef96387f14655fc854ddc3c6bd57"  # the Apache Software Foundation's LICENSE-2.0.txt, unchanged


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_licence_is_the_apache_2_text_unchanged_and_declared():
    assert hashlib.md5((ROOT / "LICENSE").read_bytes()).hexdigest() == APACHE_2_MD5
    assert project()["license"] == "Apache-2.0" and project()["license-files"] == ["LICENSE"]


def test_citation_names_the_version_licence_date_and_authors():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == project()["version"] == provenance.project_version()
    assert cff["license"] == "Apache-2.0"
    dt.date.fromisoformat(str(cff["date-released"]))
    assert cff["title"] and cff["authors"] and all(a.get("name") or a.get("family-names") for a in cff["authors"])
    assert [a["name"] for a in project()["authors"]] == [a["name"] for a in cff["authors"]]


def test_changelog_lists_releases_newest_first_the_top_one_being_this_version():
    releases = re.findall(r"^## (\d+\.\d+\.\d+) - (\d{4}-\d{2}-\d{2})$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert releases, "no '## X.Y.Z - YYYY-MM-DD' headings"
    versions = [tuple(int(x) for x in v.split(".")) for v, _ in releases]
    dates = [dt.date.fromisoformat(d) for _, d in releases]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert dates == sorted(dates, reverse=True)
    assert releases[0][0] == project()["version"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert releases[0][1] == str(cff["date-released"])
