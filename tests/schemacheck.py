#!/usr/bin/env python3
"""Validate JSON files against a JSON Schema (draft 2020-12 or older) with
Debian's python3-jsonschema. Test-only. Usage: schemacheck.py SCHEMA FILE...
A $ref to another file resolves next to SCHEMA; an http(s) $id or $ref is
looked up below SCHEMA's folders by its path, so a checkout of the schema's
repository works offline. Prints "valid FILE" or "invalid FILE: where: why"
per file; exit 0 when all are valid, 1 when one is not, 77 when the
validator is missing."""
import json
import os
import sys
import urllib.parse

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    sys.exit(77)


def local_for(uri, schema_path):
    u = urllib.parse.urlparse(uri)
    if u.scheme == "file":
        return urllib.parse.unquote(u.path)
    d = os.path.dirname(os.path.abspath(schema_path))
    rel = u.path.lstrip("/")
    while True:
        cand = os.path.join(d, rel)
        if os.path.isfile(cand):
            return cand
        parent = os.path.dirname(d)
        if parent == d:
            raise FileNotFoundError(uri)
        d = parent


def main():
    schema_path, files = sys.argv[1], sys.argv[2:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    base = "file://" + urllib.parse.quote(os.path.abspath(schema_path))
    schema.setdefault("$id", base)

    def retrieve(uri):
        with open(local_for(uri, schema_path), encoding="utf-8") as f:
            return Resource.from_contents(json.load(f))

    cls = jsonschema.validators.validator_for(schema)
    v = cls(schema, registry=Registry(retrieve=retrieve),
            format_checker=cls.FORMAT_CHECKER)
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errs:
            bad = 1
            e = errs[0]
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print("invalid %s: %s: %s" % (path, where, e.message[:300]))
        else:
            print("valid %s" % path)
    return bad


sys.exit(main())
