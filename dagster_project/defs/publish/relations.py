"""What analysts get: the dbt marts, reports and reference seeds, described from dbt's manifest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dagster_project.defs.ingest.contract import load_config

# Translator groups (dbt folders) copied into analytics.duckdb; staging, intermediate,
# landing, ingest, quarantine and ops stay in the working warehouse.
PUBLISHED_LAYERS = ("marts", "reports", "reference")

GRAIN = re.compile(r"\*\*Grain\.\*\*\s*(.+?)(?:\n\s*\n|\s*\*\*|$)", re.DOTALL)


@dataclass(frozen=True)
class PublishedRelation:
    schema: str
    name: str
    layer: str
    materialized: str
    description: str
    column_descriptions: Mapping[str, str]
    title_zh: str | None = None  # a report's Chinese title (meta.title_zh): its workbook's and bulletin's heading
    # A report's own Chinese column labels (meta.labels_zh) where its program prints a column differently
    # from var column_labels_zh (国培计划's pass_rate is 合格率, Guangzhou's 通过率).
    labels_zh: Mapping[str, str] = field(default_factory=dict)

    @property
    def grain(self) -> str | None:
        """The 'Grain.' paragraph of the dbt description (Overview / Grain / Business rules)."""
        match = GRAIN.search(self.description)
        return " ".join(match[1].split()) if match else None


def published_relations(manifest: Mapping[str, Any], layer_of) -> list[PublishedRelation]:
    """Every model and seed whose layer (`layer_of(node)`, the Dagster group) is published."""
    relations = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed"):
            continue
        layer = layer_of(node)
        if layer not in PUBLISHED_LAYERS:
            continue
        relations.append(
            PublishedRelation(
                schema=node["schema"],
                name=node["alias"],
                layer=layer,
                materialized=node["config"]["materialized"],
                description=node.get("description", "").strip(),
                column_descriptions={c: spec.get("description", "") for c, spec in node["columns"].items()},
                title_zh=node["config"].get("meta", {}).get("title_zh"),
                labels_zh=node["config"].get("meta", {}).get("labels_zh") or {},
            )
        )
    return sorted(relations, key=lambda r: (PUBLISHED_LAYERS.index(r.layer), r.schema, r.name))


def is_personal(column: str) -> bool:
    """Columns analysts never get: the PII of config/entities.yml, any hash of it, and person_key."""
    pii = {"person_key"}
    for entity in load_config().entities.values():
        pii |= {name for c in entity.columns if c.pii for name in (c.name, c.stored_name)}
    return column in pii or column.endswith("_hash")
