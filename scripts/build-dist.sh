#!/usr/bin/env bash
# Builds a production install of Galvanic into a directory (see scripts/build-dist.ts); the deploy
# image runs it in its build stage, deploy/test/dist.test.ts starts services from its output.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx scripts/build-dist.ts "$@"
