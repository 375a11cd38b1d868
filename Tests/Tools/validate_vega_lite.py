#!/usr/bin/env python3
"""Validates Vega-Lite specs against the official Vega-Lite v5 JSON schema.

Usage: validate_vega_lite.py SCHEMA.json SPEC.json [SPEC.json ...]
Prints "valid: FILE" per spec, or every schema error of an invalid one, and exits 1 when any
spec is invalid (2 when the jsonschema package is missing). Run by BinhYenReportTests.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(2)


def main():
    schema_path, specs = sys.argv[1], sys.argv[2:]
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft7Validator(schema)
    failed = False
    for path in specs:
        with open(path, encoding="utf-8") as handle:
            spec = json.load(handle)
        errors = sorted(validator.iter_errors(spec), key=lambda error: list(error.absolute_path))
        if errors:
            failed = True
            for error in errors[:20]:
                location = "/".join(str(part) for part in error.absolute_path)
                print(f"invalid: {path}: at /{location}: {error.message[:300]}")
        else:
            print(f"valid: {path}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
