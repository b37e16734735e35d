import { z } from "zod";
import { clickhouseEnv, parseEnv } from "../env";

export const env = parseEnv(z.object(clickhouseEnv), process.env, "migrate");
