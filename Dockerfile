# The Floorwatch app image: migrations, ingest, api and the built wallboard (docker-compose.yml
# picks the process with `command`). TypeScript runs through tsx, as in development, so the image
# runs exactly the sources that the tests ran.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY contracts/package.json contracts/
COPY sql/package.json sql/
COPY ingest/package.json ingest/
COPY api/package.json api/
COPY wallboard/package.json wallboard/
RUN npm ci --no-audit --no-fund
COPY . .
RUN node_modules/.bin/vite build wallboard --logLevel warn

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 8080 9464
CMD ["node_modules/.bin/tsx", "api/src/main.ts"]
