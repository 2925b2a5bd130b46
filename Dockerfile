# leakbot: multi-stage build with uv, a non-root user, migrations then the server, and a health check.
#
# The org config is not baked into the image. Give it at run time (README, "Container"): mount the file
# read-only and set LEAKBOT_CONFIG to its path, or put the YAML itself in LEAKBOT_CONFIG_YAML, or copy it into
# the /data volume and set LEAKBOT_CONFIG=/data/leakbot.yaml. Secrets come from the environment only.
FROM python:3.11-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY bot ./bot
COPY adapters ./adapters
COPY playbooks ./playbooks
COPY migrations ./migrations
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 leakbot && mkdir /data && chown leakbot /data
WORKDIR /app
COPY --from=build --chown=leakbot /app /app
USER leakbot
# The embedded database lives in the /data volume; set DATABASE_URL to PostgreSQL for several replicas.
ENV PATH="/app/.venv/bin:$PATH" \
    DATABASE_URL="sqlite+aiosqlite:////data/leakbot.db" \
    LEAKBOT_PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"LEAKBOT_PORT\"]}/healthz', timeout=4)"
CMD ["sh", "-c", "leakbot db upgrade && exec leakbot serve"]
