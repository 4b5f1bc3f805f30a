"""The shape of the code, read from the source (ast): the layers, file and function sizes.

A lower layer never imports a higher one (core → programmes → territories → activities →
surveys/evaluation → indicators → workbook/reports → web); the exceptions are listed below with
their reason, as in the README's architecture section.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "ancrage"

# The layers, lowest first; apps on one line are side by side and may import each other.
LAYERS = [
    ("core",),
    ("programmes",),
    ("territories",),
    ("activities",),
    ("surveys", "evaluation"),
    ("indicators",),
    ("workbook", "reports"),
    ("accounts", "registers", "tasks", "audit", "api"),
    ("demo",),
]
LAYER_OF_APP = {app: level for level, apps in enumerate(LAYERS) for app in apps}
# Modules that serve the web or the command line sit on the web layer whatever their app:
# a page or a command may read the user's scope (accounts) and anything below.
WEB_LEVEL = LAYER_OF_APP["accounts"]
WEB_MODULES = {"views", "urls", "admin", "forms"}

# (importer, imported) → why the lower layer may import the higher one.
EXCEPTIONS = {
    (
        "ancrage.workbook.services",
        "ancrage.accounts.models",
    ): "importing a workbook from the browser makes its importer the new programme's "
    "coordinator, in the same transaction as the import",
    (
        "ancrage.workbook.services",
        "ancrage.audit.services",
    ): "an import is one journal entry (file name and counts), written in the same transaction",
}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    name = ".".join(parts)
    return name.removesuffix(".__init__")


def app_modules() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in LAYER_OF_APP:
        return None
    level = LAYER_OF_APP[parts[1]]
    if parts[-1] in WEB_MODULES or "management" in parts or "templatetags" in parts:
        return max(level, WEB_LEVEL)
    return level


def python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def imports_of(path: Path, root: Path = PACKAGE) -> set[str]:
    """Every ancrage module a file imports, at the top or inside a function."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, *([node.module] if node.module else [])]))
            else:
                found.add(node.module or "")
    return {name for name in found if name.startswith("ancrage.")}


def upward_imports(files, root: Path = PACKAGE) -> dict[tuple[str, str], tuple[int, int]]:
    upward = {}
    for path in files:
        importer = module_name(path, root)
        low = layer_of(importer)
        for imported in imports_of(path, root):
            high = layer_of(imported)
            if low is None or high is None or high <= low:
                continue
            if importer.split(".")[1] == imported.split(".")[1]:
                continue  # within one app (its views above its selectors)
            upward[(importer, imported)] = (low, high)
    return upward


def test_every_app_has_a_layer():
    assert app_modules() <= set(LAYER_OF_APP), app_modules() - set(LAYER_OF_APP)


def test_no_lower_layer_imports_a_higher_one():
    upward = upward_imports(python_files())
    unexplained = sorted(set(upward) - set(EXCEPTIONS))
    assert not unexplained, "\n".join(f"{a} → {b}" for a, b in unexplained)


def test_every_listed_exception_is_still_needed_and_named_in_the_readme():
    upward = upward_imports(python_files())
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    for importer, imported in EXCEPTIONS:
        assert (importer, imported) in upward, f"{importer} → {imported} is no longer imported"
        assert f"`{importer}` → `{imported}`" in readme, f"{importer} → {imported} not in README"


def test_the_layer_check_sees_an_upward_import(tmp_path):
    """The check itself can fail: a programmes module importing the indicators is caught, and
    so is a relative import that climbs out of its app."""
    root = tmp_path / "ancrage"
    (root / "programmes").mkdir(parents=True)
    probe = root / "programmes" / "probe.py"
    probe.write_text(
        "from ancrage.indicators.selectors import compute_indicators\n"
        "def late():\n    from ..surveys import selectors\n"
    )
    upward = upward_imports([probe], root)
    assert ("ancrage.programmes.probe", "ancrage.indicators.selectors") in upward
    assert ("ancrage.programmes.probe", "ancrage.surveys") in upward


# What only the web or the command line knows: a selector or service raising a 404 or a
# CommandError would tie the business rules to one of them (core.errors holds their own).
FRONT_END_MODULES = ("django.http", "django.shortcuts", "django.core.management")


def front_end_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n for n in names if n.startswith(FRONT_END_MODULES))
    return found


def test_selectors_and_services_know_neither_http_nor_the_command_line():
    found = {
        path.relative_to(PACKAGE).as_posix(): sorted(front_end_imports(path))
        for path in python_files()
        if path.stem in {"selectors", "services"} or path.parent.name == "selectors"
    }
    assert not {name: imports for name, imports in found.items() if imports}


def test_the_front_end_check_sees_a_404_in_a_selector(tmp_path):
    probe = tmp_path / "selectors.py"
    probe.write_text("def late():\n    from django.http import Http404\n")
    assert front_end_imports(probe) == {"django.http"}
    probe.write_text("from django.db.models import Count\n")
    assert not front_end_imports(probe)


MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80
# Files that hold data (grids, templates, demo rows) rather than logic: their length is content.
DATA_TABLES = {
    "demo/answers.py",
    "demo/evaluation.py",
    "demo/workbook.py",
    "evaluation/reference.py",
    "surveys/library.py",
}
# Files another engineer is splitting or rewriting this round; remove each once it is done.
BEING_SPLIT: set[str] = set()


def oversized(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    found = []
    lines = source.count("\n")
    if lines > MAX_FILE_LINES:
        found.append(f"{path.name}: {lines} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path.name}: {node.name}() {length} lines")
    return found


def test_no_file_over_600_lines_and_no_function_over_80():
    allowed = DATA_TABLES | BEING_SPLIT
    found = [
        problem
        for path in python_files()
        if path.relative_to(PACKAGE).as_posix() not in allowed
        for problem in oversized(path)
    ]
    assert not found, "\n".join(found)


def test_the_allowance_names_only_files_still_too_long():
    done = [
        name
        for name in sorted(BEING_SPLIT)
        if (PACKAGE / name).exists() and not oversized(PACKAGE / name)
    ]
    assert not done, f"split now: remove {done} from BEING_SPLIT"


@pytest.mark.parametrize("lines", [MAX_FILE_LINES + 1, MAX_FUNCTION_LINES + 1])
def test_the_size_check_sees_a_long_file_or_function(tmp_path, lines):
    path = tmp_path / "probe.py"
    body = "\n".join(f"    x{i} = {i}" for i in range(lines))
    path.write_text(f"def long():\n{body}\n" if lines < MAX_FILE_LINES else "x = 1\n" * lines)
    assert oversized(path)
    path.write_text("def short():\n    return 1\n")
    assert not oversized(path)


def test_every_document_the_code_cites_is_in_the_project():
    """Docstrings and comments cite `docs/x.md` (or `docs: x.md`): each one exists in docs/."""
    import re

    docs = PACKAGE.parent / "docs"
    cited = {
        (path.relative_to(PACKAGE).as_posix(), name)
        for path in python_files()
        for name in re.findall(r"docs[/:] ?([\w-]+\.md)", path.read_text(encoding="utf-8"))
    }
    assert cited
    missing = sorted((path, name) for path, name in cited if not (docs / name).exists())
    assert not missing
