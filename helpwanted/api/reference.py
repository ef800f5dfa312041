"""The API reference page's content, read from the OpenAPI document (one source of truth)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@dataclass
class Field:
    name: str
    type: str
    required: bool
    notes: str = ""


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    body_name: str = ""
    responses: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    tag: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Reference:
    title: str
    description: str
    sections: list[Section]
    schemas: list[tuple[str, list[Field]]]


def _ref_name(schema: dict[str, Any]) -> str:
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1]


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _ref_name(schema)
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type(schema["allOf"][0])
    if "enum" in schema:
        return "one of " + ", ".join(f"“{v}”" for v in schema["enum"])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if fmt := schema.get("format"):
        return f"{kind} ({fmt})"
    return kind


def _notes(schema: dict[str, Any]) -> str:
    notes = []
    for key, words in (
        ("minimum", "at least"),
        ("maximum", "at most"),
        ("minLength", "at least {} characters"),
        ("maxLength", "up to {} characters"),
        ("maxItems", "up to {} items"),
    ):
        for candidate in [schema, *schema.get("anyOf", [])]:
            if key in candidate:
                notes.append(
                    words.format(candidate[key]) if "{}" in words else f"{words} {candidate[key]}"
                )
                break
    if "default" in schema and schema["default"] not in (None, "", []):
        notes.append(f"default {schema['default']}")
    if description := schema.get("description"):
        notes.append(str(description))
    return "; ".join(notes)


def _fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", []))
    return [
        Field(name, _type(prop), name in required, _notes(prop))
        for name, prop in schema.get("properties", {}).items()
    ]


@functools.cache
def reference() -> Reference:
    from helpwanted.api.v1 import api

    doc = api.get_openapi_schema()
    components = doc.get("components", {}).get("schemas", {})
    sections: dict[str, Section] = {}
    for path, methods in doc.get("paths", {}).items():
        for method in sorted(methods, key=lambda m: METHOD_ORDER.index(m)):
            op = methods[method]
            tag = (op.get("tags") or ["other"])[0]
            body_schema = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            body_name = _ref_name(body_schema)
            operation = Operation(
                method=method.upper(),
                path=path,
                anchor=op.get("operationId", f"{method}-{path}"),
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                parameters=[
                    Field(
                        f"{p['name']} ({p['in']})",
                        _type(p.get("schema", {})),
                        bool(p.get("required")),
                        _notes(p.get("schema", {})),
                    )
                    for p in op.get("parameters", [])
                ],
                body=_fields(components.get(body_name, {})) if body_name else [],
                body_name=body_name,
                responses=[
                    (
                        status,
                        _ref_name(
                            r.get("content", {}).get("application/json", {}).get("schema", {})
                        )
                        or r.get("description", ""),
                    )
                    for status, r in op.get("responses", {}).items()
                    if str(status).startswith("2")
                ],
            )
            sections.setdefault(tag, Section(tag)).operations.append(operation)
    schemas = [
        (name, _fields(schema))
        for name, schema in sorted(components.items())
        if name.endswith(("Out", "Page", "Detail", "Info"))
    ]
    return Reference(
        title=doc["info"]["title"],
        description=doc["info"].get("description", ""),
        sections=list(sections.values()),
        schemas=schemas,
    )
