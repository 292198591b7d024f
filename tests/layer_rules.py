"""The layer rule of zichtop/, read from the code's own imports (every `import` and
`from ... import`, also inside functions): which package may import which, and which
third-party libraries a package must not touch. Each package's __init__.py says the same in
words."""

from __future__ import annotations

import ast
from pathlib import Path

# package -> the packages of zichtop it may import (its own included)
ALLOWED = {
    "core": {"core"},
    "indicators": {"core", "indicators"},
    "method": {"core", "indicators", "method"},
    "pipeline": {"core", "indicators", "method", "pipeline"},
    "read": {"core", "indicators", "method", "read"},
    "web": {"core", "indicators", "method", "read", "web"},
    "hosting": {"core", "hosting"},
    "cli": {"core", "indicators", "method", "pipeline", "read", "hosting", "cli"},
    "__init__": set(),
}
# package -> libraries it must not import: a web worker loads neither the build's geometry nor
# SciPy; the method runs on frames, without a database or a web framework
FORBIDDEN_LIBRARIES = {
    "read": {"geopandas", "scipy", "shapely"},
    "web": {"geopandas", "scipy", "shapely"},
    "method": {"duckdb", "dash", "flask"},
    "indicators": {"duckdb", "dash", "flask", "pandas"},
    "core": {"duckdb", "dash", "flask", "pandas"},
}


def package_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else path.stem


def imported(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything a module imports; `from zichtop import x` gives
    zichtop.x; relative imports are resolved against `module`."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(module.split(".")[:-node.level] + ([base] if base else []))
            out += [(node.lineno, f"{base}.{alias.name}" if base == "zichtop" else base)
                    for alias in node.names]
    return out


def violations(root: Path) -> list[str]:
    """Every forbidden import under `root` (the zichtop package folder), as
    'file:line imports name (package may not)'."""
    found = []
    for path in sorted(root.rglob("*.py")):
        package = package_of(path, root)
        module = ".".join(("zichtop", *path.relative_to(root).with_suffix("").parts))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in imported(tree, module):
            top, *rest = name.split(".")
            where = f"{path.relative_to(root.parent)}:{line}"
            if top == "zichtop" and rest:
                target = rest[0] if rest[0] in ALLOWED else "__init__"
                if target != "__init__" and target not in ALLOWED.get(package, set()):
                    found.append(f"{where} imports {name} ({package}/ may not import {target}/)")
            elif top in FORBIDDEN_LIBRARIES.get(package, set()):
                found.append(f"{where} imports {name} ({package}/ may not import {top})")
    return found
