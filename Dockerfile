# syntax=docker/dockerfile:1
# Multi-stage: dependencies, then the models (the project's own, shipped in models/; or, with
# --build-arg MODELS=official, the official stanza models downloaded at build time, never at
# run time), then a slim non-root runtime image with both.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
COPY services ./services
# The CPU build of torch: the default wheel on PyPI bundles CUDA (several GB) the service never uses.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
 && pip install -c requirements.lock .

FROM build AS models
ARG LANGUAGES=ar,en
ARG MODELS=shipped
ENV STANZA_RESOURCES_DIR=/models LANGUAGES=${LANGUAGES}
COPY models /models
RUN if [ "$MODELS" = official ]; then rm -rf /models && newsenrich models download; fi

FROM python:3.11-slim AS runtime
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin newsenrich
COPY --from=build /opt/venv /opt/venv
COPY --from=models --chown=root:root /models /models
COPY schemas /app/schemas
COPY seeds /app/seeds
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    STANZA_RESOURCES_DIR=/models \
    NEWSENRICH_SCHEMAS_DIR=/app/schemas \
    NEWSENRICH_DATA_DIR=/tmp/newsenrich
WORKDIR /app
USER 10001
ENTRYPOINT ["newsenrich"]
CMD ["worker", "entities"]
