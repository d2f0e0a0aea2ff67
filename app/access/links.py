"""Public link items in DynamoDB (item shapes live only here).

`LINK#<token>` / `LINK`, indexed as `FILELINKS#<fileId>` / `<createdAt>#<token>` on gsi1 so
the owner's list is one Query. The download counter only moves through a conditional
update, so two racing downloads of a one-download link cannot both count. A link made since
the administrators' totals exist is `counted` among the active links (app/stats/counters.py)
until it is revoked, runs out of downloads or goes with its file.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import db
from app.clock import iso, parse_iso
from app.stats import counters

# Expired links linger a day for the owner's list, then TTL removes them.
_LINGER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class LinkRecord:
    token: str
    file_id: str
    owner_id: str
    created_at: datetime
    expires_at: datetime
    max_downloads: int | None
    downloads: int
    password_hash: str | None
    counted: bool = False  # among the active links of the administrators' totals

    @property
    def exhausted(self) -> bool:
        return self.max_downloads is not None and self.downloads >= self.max_downloads

    def usable_at(self, now: datetime) -> bool:
        """Not expired and not exhausted (revoked links no longer exist)."""
        return now < self.expires_at and not self.exhausted


@dataclass(frozen=True)
class LinkPage:
    items: list[LinkRecord]
    last_key: dict[str, Any] | None


def _key(token: str) -> dict[str, Any]:
    return {"pk": {"S": f"LINK#{token}"}, "sk": {"S": "LINK"}}


def _record(values: dict[str, Any]) -> LinkRecord:
    return LinkRecord(
        token=values["token"],
        file_id=values["fileId"],
        owner_id=values["ownerId"],
        created_at=parse_iso(values["createdAt"]),
        expires_at=parse_iso(values["expiresAt"]),
        max_downloads=values.get("maxDownloads"),
        downloads=int(values.get("downloads", 0)),
        password_hash=values.get("passwordHash"),
        counted=values.get("counted") is True,
    )


def _uncount(links: list[LinkRecord]) -> None:
    """Links that stop working before their expiry stop counting (once: an exhausted one
    stopped with its last download)."""
    counters.links_closed(link.expires_at for link in links if link.counted and not link.exhausted)


def create_link(link: LinkRecord) -> None:
    expires_epoch = int(link.expires_at.timestamp())
    values = {
        "pk": f"LINK#{link.token}",
        "sk": "LINK",
        "gsi1pk": f"FILELINKS#{link.file_id}",
        "gsi1sk": f"{iso(link.created_at)}#{link.token}",
        "token": link.token,
        "fileId": link.file_id,
        "ownerId": link.owner_id,
        "createdAt": iso(link.created_at),
        "expiresAt": iso(link.expires_at),
        "expiresAtEpoch": expires_epoch,
        "maxDownloads": link.max_downloads,
        "downloads": link.downloads,
        "passwordHash": link.password_hash,
        "ttl": expires_epoch + _LINGER_SECONDS,
        "counted": True,
    }
    with db.call():
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=db.to_item(values),
            ConditionExpression="attribute_not_exists(pk)",
        )
    counters.link_opened(link.expires_at)


def get_link(token: str) -> LinkRecord | None:
    with db.call():
        result = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_key(token), ConsistentRead=True
        )
    values = db.from_item(result.get("Item"))
    return _record(values) if values else None


def get_links(tokens: list[str]) -> list[LinkRecord]:
    """The links that exist among `tokens` (consistent reads)."""
    items = db.batch_get((_key(token) for token in tokens), consistent=True)
    return [_record(db.from_item(item) or {}) for item in items]


def alive_among(file_id: str, tokens: set[str], now: datetime) -> set[str]:
    """Which of `tokens` name active links of the file (a consistent read of each)."""
    return {
        record.token
        for record in get_links(sorted(tokens))
        if record.file_id == file_id and record.usable_at(now)
    }


def _by_file(file_id: str) -> dict[str, Any]:
    return {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": db.to_values({":pk": f"FILELINKS#{file_id}"}),
        "ScanIndexForward": False,
    }


def list_links(file_id: str) -> list[LinkRecord]:
    """Every link of one file, newest first."""
    return [_record(db.from_item(item) or {}) for item in db.query_all(_by_file(file_id))]


def page_links(file_id: str, limit: int, start_key: dict[str, Any] | None) -> LinkPage:
    """One page of the file's links, newest first; a key to go on only when more exist."""
    page = db.query_page(_by_file(file_id), limit, start_key)
    last = page.last
    return LinkPage(
        items=[_record(db.from_item(item) or {}) for item in page.items],
        last_key={name: last[name] for name in ("pk", "sk", "gsi1pk", "gsi1sk")} if last else None,
    )


def delete_link(token: str, file_id: str) -> LinkRecord | None:
    """Remove the link if it belongs to `file_id`; returns what was removed."""
    removed = _write_if(
        "delete_item",
        token,
        ConditionExpression="fileId = :file",
        ExpressionAttributeValues=db.to_values({":file": file_id}),
        ReturnValues="ALL_OLD",
    )
    if removed is not None:
        _uncount([removed])
    return removed


def count_download(token: str, now: datetime) -> LinkRecord | None:
    """Count one download if the link still allows it, atomically; None when it does not."""
    counted = _write_if(
        "update_item",
        token,
        UpdateExpression="SET downloads = downloads + :one",
        ConditionExpression=(
            "attribute_exists(pk) AND expiresAtEpoch > :now "
            "AND (attribute_not_exists(maxDownloads) OR downloads < maxDownloads)"
        ),
        ExpressionAttributeValues=db.to_values({":one": 1, ":now": int(now.timestamp())}),
        ReturnValues="ALL_NEW",
    )
    if counted is not None and counted.counted and counted.downloads == counted.max_downloads:
        counters.links_closed([counted.expires_at])  # the last download it allows
    return counted


def _write_if(action: str, token: str, **request: Any) -> LinkRecord | None:
    """One conditional write on the link: the link it returns, None when the condition failed."""
    with db.call(db.CONDITION_FAILED) as write:
        answer = getattr(db.dynamodb(), action)(
            TableName=db.table_name(), Key=_key(token), **request
        )
    values = None if write.refused else db.from_item(answer.get("Attributes"))
    return _record(values) if values else None


def delete_file_links(file_id: str) -> int:
    """Delete every link of a deleted file."""
    links = list_links(file_id)
    db.batch_delete([_key(link.token) for link in links])
    _uncount(links)
    return len(links)
