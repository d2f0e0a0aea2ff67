"""The page's scripts build DOM nodes: no markup is parsed from a value, and `h()` cannot do it."""

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "app" / "web" / "static" / "js"
SCRIPTS = sorted(JS.glob("*.js"))

# A sink that parses markup, and what it is given (up to the end of the statement).
SINK = re.compile(
    r"\.(?:innerHTML|outerHTML)\s*\+?=\s*(?P<assigned>[^;]*)"
    r"|\.insertAdjacentHTML\s*\([^,]*,\s*(?P<inserted>[^;]*)\)"
    r"|(?P<parser>document\.write|DOMParser|createContextualFragment)"
)
CONSTANT = re.compile(r"\"[^\"\\]*\"|'[^'\\]*'|`[^`$\\]*`")


def markup_from_values(source: str) -> list[str]:
    """Every place that hands a parser something other than one constant string."""
    found = []
    for match in SINK.finditer(source):
        value = match["assigned"] or match["inserted"]
        if value is None or not CONSTANT.fullmatch(value.strip()):
            found.append(match[0])
    return found


def element_builder(source: str) -> str:
    """The body of ui.js's `h(tag, attrs, ...children)`, up to its closing brace."""
    start = source.index("export function h(")
    end = source.index("\n}\n", start)
    return source[start:end]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_script_parses_markup_built_from_a_value(script: Path) -> None:
    assert markup_from_values(script.read_text()) == []


def test_the_check_catches_markup_from_a_value_and_allows_a_constant() -> None:
    assert markup_from_values("node.innerHTML = `<b>${name}</b>`;") != []
    assert markup_from_values("node.innerHTML = ICONS[name];") != []
    assert markup_from_values('node.insertAdjacentHTML("beforeend", text);') != []
    assert markup_from_values("new DOMParser().parseFromString(text, 'text/html');") != []
    assert markup_from_values('node.innerHTML = "";') == []


def test_the_element_builder_has_no_html_option() -> None:
    builder = element_builder((JS / "ui.js").read_text())
    assert "innerHTML" not in builder
    assert not re.search(r"[\"']html[\"']", builder)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_view_passes_an_html_attribute(script: Path) -> None:
    assert not re.search(r"[{,]\s*[\"']?html[\"']?\s*:", script.read_text())


# What the page's `script-src 'self'` (no 'unsafe-eval') would refuse at run time, in any module
# the page loads, vendored ones included.
EVALUATES = re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(|\bset(?:Timeout|Interval)\s*\(\s*[\"'`]")
MODULES = sorted(path for path in JS.rglob("*") if path.suffix in {".js", ".mjs"})


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.relative_to(JS).as_posix())
def test_no_module_runs_a_string_as_code(module: Path) -> None:
    assert EVALUATES.findall(module.read_text()) == []


def test_the_eval_check_catches_code_in_strings() -> None:
    assert EVALUATES.findall('eval("1")') != []
    assert EVALUATES.findall('const f = new Function("a", "return a");') != []
    assert EVALUATES.findall("setTimeout('go()', 10);") != []
    assert EVALUATES.findall("setTimeout(() => field.focus());") == []
