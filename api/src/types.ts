export type AppEnv = { Variables: { requestId: string } };
