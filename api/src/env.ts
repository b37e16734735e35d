import { clickhouseConfig, clickhouseEnv, logEnv, parseEnv } from "@floorwatch/sql";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const Env = z.object({
  ...clickhouseEnv,
  ...logEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  /** The built wallboard (vite build wallboard); served at / when present. */
  WALLBOARD_DIR: z
    .string()
    .default(join(dirname(fileURLToPath(import.meta.url)), "../../wallboard/dist")),
  /** Accepted as an admin token (automation); never stored. Long enough not to be guessed. */
  ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** Reverse proxies in front of the API: 0 trusts no X-Forwarded-For (the default). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** Who ran `npm run token` (recorded in the audit log). */
  USER: z.string().default("unknown"),
});

export const env = parseEnv(Env, process.env, "api");
export const clickhouse = clickhouseConfig(env);
