import { clickhouseConfig, clickhouseEnv, parseEnv } from "@floorwatch/sql";
import { z } from "zod";

export const env = parseEnv(z.object(clickhouseEnv), process.env, "repair");
export const clickhouse = clickhouseConfig(env);
