# syntax=docker/dockerfile:1
# Two images from one file (see README "Docker"):
#   docker build --target lambda -t sharebox-lambda .   # AWS Lambda image: API by default,
#                                                       # worker with CMD app.worker.handler.handler
#   docker build -t sharebox-local .                    # `make run`'s server (the default target)

# ---------------------------------------------------------------- Lambda (API or worker)
FROM public.ecr.aws/lambda/python:3.12 AS lambda
# One image serves both functions, so it carries the worker's Pillow; the API never imports it.
COPY requirements/worker.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --target "${LAMBDA_TASK_ROOT}" -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
COPY app ${LAMBDA_TASK_ROOT}/app
# The emulator glue of `make run` is never used on Lambda.
RUN rm -rf "${LAMBDA_TASK_ROOT}/app/local"
CMD ["app.main.handler"]

# ---------------------------------------------------------------- local (make run's server)
FROM python:3.12-slim AS local
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install '.[local]' \
    && useradd --create-home --uid 10001 sharebox
USER sharebox
# HOST 0.0.0.0 so the published port answers; the embedded emulator stays on 127.0.0.1, on a
# fixed MOTO_PORT so presigned URLs name a known port (see README: use --network host for
# browser uploads straight to it). Outside the image the emulator takes a free port itself.
ENV HOST=0.0.0.0 PORT=8000 MOTO_PORT=5050
EXPOSE 8000
CMD ["python", "-m", "app.local"]
