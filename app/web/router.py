"""The static web page: the app shell at `/` and `/s/{token}`, assets under `/static`."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
@router.get("/s/{token}")
async def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/static/{name:path}")
async def asset(name: str) -> FileResponse:
    from app.errors import NotFound

    path = (STATIC / name).resolve()
    if not path.is_file() or STATIC.resolve() not in path.parents:
        raise NotFound("No such file.")
    return FileResponse(path)
