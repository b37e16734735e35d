import type { Principal } from "./auth/roles";

export type AppEnv = { Variables: { requestId: string; principal?: Principal } };
