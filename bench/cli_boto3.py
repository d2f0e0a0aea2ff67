"""boto3's side of the CLI transfer rows, in its own process as the CLI is:
`python -m bench.cli_boto3 upload|download ENDPOINT BUCKET KEY PATH CHUNK_BYTES CONCURRENCY`.

`upload_file` / `download_file` with the part size and concurrency the CLI uses, against the
emulator the server presigns for (credentials "testing", as moto takes any).
"""

import sys

import boto3
from boto3.s3.transfer import TransferConfig

MULTIPART_THRESHOLD = 8 * 1024**2  # boto3's default, and the CLI's


def main(
    operation: str, endpoint: str, bucket: str, key: str, path: str, chunk: str, workers: str
) -> None:
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    config = TransferConfig(
        multipart_threshold=MULTIPART_THRESHOLD,
        multipart_chunksize=int(chunk),
        max_concurrency=int(workers),
    )
    if operation == "upload":
        s3.upload_file(path, bucket, key, Config=config)
    else:
        s3.download_file(bucket, key, path, Config=config)


if __name__ == "__main__":
    main(*sys.argv[1:])
