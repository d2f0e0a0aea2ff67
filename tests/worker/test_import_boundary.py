import subprocess
import sys


def imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(out.stdout.split())


def test_the_api_function_never_loads_pillow() -> None:
    modules = imported_after("import app.main")

    assert "app.main" in modules
    assert "PIL" not in modules
    assert "app.worker.thumbnails" not in modules


def test_the_local_poller_loads_pillow_only_with_its_first_batch() -> None:
    modules = imported_after("import app.local.background, app.worker.poller")

    assert "app.worker.poller" in modules
    assert "PIL" not in modules


def test_the_worker_handler_does_load_pillow() -> None:
    assert "PIL" in imported_after("import app.worker.handler")


def test_the_notifications_function_loads_no_pillow_emulator_or_local_code() -> None:
    modules = imported_after("import app.notifications.handler")

    assert "app.notifications.handler" in modules
    unwanted = {m for m in modules if m.split(".")[0] in {"PIL", "moto", "uvicorn"}}
    assert not unwanted | {m for m in modules if m.startswith("app.local")}
