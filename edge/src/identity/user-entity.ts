import { defineEntity, p } from "@mikro-orm/core";

/** A person who can sign in. Demo users are created by POST /auth/login in local mode. */
export const AppUser = defineEntity({
  name: "AppUser",
  tableName: "app_user",
  schema: "identity",
  properties: {
    id: p.uuid().primary(),
    email: p.string().length(254).unique(),
    name: p.string().length(200),
    role: p.enum(["USER", "ADMIN"] as const),
    createdAt: p.datetime().defaultRaw("now()"),
  },
});
