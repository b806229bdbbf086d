import { randomUUID } from "node:crypto";
import type { EntityManager, Orm } from "#platform";
import { AppUser } from "./user-entity.ts";

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
}

/** Demo sign-in for AUTH_MODE=local: finds or creates the user with this e-mail address. */
export class UserDirectory {
  constructor(
    private readonly orm: Orm,
    private readonly adminEmails: ReadonlySet<string>,
  ) {}

  async findOrCreate(email: string): Promise<UserView> {
    const normalized = email.trim().toLowerCase();
    const em: EntityManager = this.orm.em.fork();
    const role = this.adminEmails.has(normalized) ? "ADMIN" : "USER";
    // Insert-or-nothing, then read: two first logins racing for one address get the same user.
    await em
      .getConnection()
      .execute(
        `insert into identity.app_user (id, email, name, role) values (?, ?, ?, ?) on conflict (email) do nothing`,
        [randomUUID(), normalized, normalized.split("@")[0] ?? normalized, role],
      );
    const user = await em.findOneOrFail(AppUser, { email: normalized });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role === "ADMIN" ? "admin" : "user",
    };
  }
}
