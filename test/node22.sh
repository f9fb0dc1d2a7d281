#!/usr/bin/env sh
# `npm run test:node22`: the unit and workflow tiers on Node.js 22, which `npx --package node@22`
# puts first on PATH. Refuses to run on any other version, so it can never pass on the wrong one.
set -e
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" != 22 ]; then
  echo "expected Node.js 22, found $(node --version)" >&2
  exit 1
fi
echo "on Node.js $(node --version)"
exec node node_modules/vitest/vitest.mjs run test/unit test/workflows
