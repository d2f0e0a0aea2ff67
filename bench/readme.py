"""`python -m bench.readme`: put bench/results.json's table into README.md's Performance section."""

import json
import re

from bench.common import ROOT


def _whose(packages: list[str]) -> str:
    others = [p for p in packages if p != "app"]
    if not others:
        return "all of them the app's own"
    return f"all of them the app's own plus {', '.join(others)} submodules"


def main() -> None:
    results = json.loads((ROOT / "bench" / "results.json").read_text())
    extra = results["measures"][0]["extra"]
    block = (
        f"{results['table']}\n\n"
        f"Run {results['when']} on {results['machine']} (Python {results['python']}), "
        f"{results['pairs']} pairs. Modules the API imports for a cold `/health` that the floor "
        f"does not: {extra['extra_module_count']}, {_whose(extra['extra_packages'])}; "
        f"Pillow, moto and uvicorn: {', '.join(extra['flagged']) or 'none'}. "
        f"With `AWS_LAMBDA_FUNCTION_NAME` set, a cold `/health` imports "
        f"{', '.join(extra['on_lambda_extra_packages']) or 'nothing more'} (Powertools comes "
        f"with the first invocation)."
    )
    if partial := results.get("partial"):
        block += (
            f" Rows of {' and '.join(partial['steps'])} run again on their own "
            f"(`BENCH_ONLY`) {partial['when']} on {partial['machine']}."
        )
    readme = ROOT / "README.md"
    text = readme.read_text()
    text = re.sub(
        r"<!-- bench-table -->\n.*?<!-- /bench-table -->",
        lambda _: f"<!-- bench-table -->\n{block}\n<!-- /bench-table -->",
        text,
        flags=re.S,
    )
    readme.write_text(text)


if __name__ == "__main__":
    main()
